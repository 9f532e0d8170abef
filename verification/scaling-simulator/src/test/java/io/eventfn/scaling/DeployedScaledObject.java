package io.eventfn.scaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.eventfn.deploy.Overlay;
import io.eventfn.kafka.local.RepositoryRoot;
import io.eventfn.scaling.HorizontalPodAutoscaler.Behavior;
import io.eventfn.scaling.HorizontalPodAutoscaler.PolicyType;
import io.eventfn.scaling.HorizontalPodAutoscaler.ScalingPolicy;
import io.eventfn.scaling.HorizontalPodAutoscaler.ScalingRules;
import io.eventfn.scaling.HorizontalPodAutoscaler.SelectPolicy;
import io.eventfn.scaling.KafkaTrigger.OffsetResetPolicy;

import tools.jackson.databind.JsonNode;

/**
 * The ScaledObject that deploy/ ships, read from the overlays as Kustomize renders them ({@code kubectl kustomize},
 * through deploy-checks' {@link Overlay}) with the
 * defaults KEDA and the API server fill in, so that a simulation of "the deployed settings" cannot drift from them.
 * Every overlay must render the same scaling settings; a setting the simulator does not model fails the read instead
 * of being silently ignored.
 *
 * @param scaledObject         what the simulator acts on
 * @param inputTopicPartitions the ScaledObject's {@code eventfn.io/input-topic-partitions} annotation
 * @param fallback             {@code spec.fallback}, or null; the simulator does not model it (see README)
 * @param appEnvironment       the app's literal settings in the Deployment of {@code appOverlay}
 * @param overlays             the overlays read, all with these scaling settings
 */
record DeployedScaledObject(ScaledObject scaledObject, int inputTopicPartitions, Fallback fallback,
        Map<String, String> appEnvironment, String appOverlay, List<String> overlays) {

    /** {@code spec.fallback}: after {@code failureThreshold} failed readings in a row KEDA reports {@code replicas}. */
    record Fallback(int failureThreshold, int replicas, String behavior) {

        @Override
        public String toString() {
            return "failureThreshold " + failureThreshold + ", replicas " + replicas + ", behavior " + behavior;
        }
    }

    /** Failed readings in a row from which fallback would act; {@code Integer.MAX_VALUE} without fallback. */
    int fallbackFailureThreshold() {
        return fallback == null ? Integer.MAX_VALUE : fallback.failureThreshold();
    }

    static final String PARTITIONS_ANNOTATION = "eventfn.io/input-topic-partitions";

    /** The overlay whose app settings the simulated replicas get: plaintext, like the local broker. */
    private static final String APP_OVERLAY = "local";

    /** KEDA's kafka trigger metadata that changes the metric but is not modelled; allowed only at KEDA's default. */
    private static final Map<String, String> UNMODELLED_METADATA_DEFAULTS = Map.of(
            "ensureEvenDistributionOfPartitions", "false", "partitionLimitation", "");

    /** ScaledObject spec fields that change scaling but are not modelled; allowed only when absent. */
    private static final Set<String> UNMODELLED_SPEC = Set.of("idleReplicaCount", "initialCooldownPeriod");

    /**
     * @param hpaSyncPeriod the cluster's {@code --horizontal-pod-autoscaler-sync-period}: not in any manifest
     */
    static DeployedScaledObject read(Duration hpaSyncPeriod) {
        List<Overlay> overlays = Overlay.all(RepositoryRoot.find());
        DeployedScaledObject first = null;
        for (Overlay overlay : overlays) {
            DeployedScaledObject read = of(overlay, hpaSyncPeriod);
            if (first == null) {
                first = read;
            } else if (!read.scaledObject().equals(first.scaledObject())
                    || read.inputTopicPartitions() != first.inputTopicPartitions()
                    || !Objects.equals(read.fallback(), first.fallback())) {
                throw new IllegalStateException("overlays " + first.overlays().getFirst() + " and " + overlay.name()
                        + " render different scaling settings (" + first.scaledObject() + " vs " + read.scaledObject()
                        + "); the long run simulates one: make them equal or pick one here");
            }
        }
        Overlay app = overlays.stream().filter(o -> o.name().equals(APP_OVERLAY)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no overlay " + APP_OVERLAY + " under deploy/overlays"));
        JsonNode container = app.only("Deployment").at("/spec/template/spec/containers/0");
        return new DeployedScaledObject(first.scaledObject(), first.inputTopicPartitions(), first.fallback(),
                app.literalEnvironment(container), APP_OVERLAY, overlays.stream().map(Overlay::name).toList());
    }

    private static DeployedScaledObject of(Overlay overlay, Duration hpaSyncPeriod) {
        JsonNode scaledObject = overlay.only("ScaledObject");
        String where = "overlay " + overlay.name() + ", ScaledObject " + scaledObject.at("/metadata/name").asString();
        JsonNode spec = scaledObject.path("spec");
        for (String field : UNMODELLED_SPEC) {
            require(!spec.has(field), where, "spec." + field + " is set, which the simulator does not model");
        }
        require(spec.at("/advanced/scalingModifiers").isMissingNode(), where,
                "spec.advanced.scalingModifiers is set, which the simulator does not model");

        JsonNode triggers = spec.path("triggers");
        require(triggers.size() == 1, where, "the simulator models exactly one trigger, not " + triggers.size());
        JsonNode trigger = triggers.get(0);
        require(trigger.path("type").asString("").equals("kafka"), where, "the trigger is no kafka trigger");
        require(trigger.path("metricType").asString("AverageValue").equals("AverageValue"), where,
                "the simulator models metricType AverageValue only");
        require(!trigger.path("useCachedMetrics").asBoolean(false), where, "useCachedMetrics is not modelled");
        JsonNode metadata = trigger.path("metadata");
        UNMODELLED_METADATA_DEFAULTS.forEach((name, keda) -> require(metadata.path(name).asString(keda).equals(keda),
                where, "trigger metadata " + name + " is set, which the simulator does not model"));

        // KEDA's defaults (pkg/scalers/kafka_scaler.go, scaledobject_types.go).
        var kafkaTrigger = new KafkaTrigger(
                Long.parseLong(metadata.path("lagThreshold").asString("10")),
                Long.parseLong(metadata.path("activationLagThreshold").asString("0")),
                OffsetResetPolicy.valueOf(metadata.path("offsetResetPolicy").asString("latest").toUpperCase(Locale.ROOT)),
                bool(metadata, "allowIdleConsumers", where),
                bool(metadata, "excludePersistentLag", where),
                bool(metadata, "scaleToZeroOnInvalidOffset", where),
                bool(metadata, "limitToPartitionsWithLag", where));
        var model = new ScaledObject(
                spec.path("minReplicaCount").asInt(0),
                spec.path("maxReplicaCount").asInt(100),
                Duration.ofSeconds(spec.path("pollingInterval").asInt(30)),
                Duration.ofSeconds(spec.path("cooldownPeriod").asInt(300)),
                hpaSyncPeriod,
                kafkaTrigger,
                behavior(spec.at("/advanced/horizontalPodAutoscalerConfig/behavior"), where));
        String partitions = scaledObject.at("/metadata/annotations").path(PARTITIONS_ANNOTATION).asString("");
        require(partitions.matches("[1-9][0-9]*"), where, "annotation " + PARTITIONS_ANNOTATION + " is missing");
        JsonNode fallback = spec.path("fallback");
        return new DeployedScaledObject(model, Integer.parseInt(partitions),
                fallback.isMissingNode() ? null : new Fallback(fallback.path("failureThreshold").asInt(3),
                        fallback.path("replicas").asInt(), fallback.path("behavior").asString("static")),
                Map.of(), overlay.name(), List.of(overlay.name()));
    }

    /**
     * The HPA behavior as the API server defaults it (SetDefaults_HorizontalPodAutoscalerBehavior): a missing
     * direction gets Kubernetes' rules, a missing field within a direction its default.
     */
    private static Behavior behavior(JsonNode behavior, String where) {
        ScalingRules up = Behavior.kubernetesDefaults().scaleUp();
        ScalingRules down = Behavior.kubernetesDefaults().scaleDown();
        return new Behavior(rules(behavior.path("scaleUp"), up, where), rules(behavior.path("scaleDown"), down, where));
    }

    private static ScalingRules rules(JsonNode rules, ScalingRules defaults, String where) {
        if (rules.isMissingNode() || rules.isNull()) {
            return defaults;
        }
        Duration window = rules.has("stabilizationWindowSeconds")
                ? Duration.ofSeconds(rules.path("stabilizationWindowSeconds").asInt())
                : defaults.stabilizationWindow();
        SelectPolicy select = rules.has("selectPolicy")
                ? SelectPolicy.valueOf(rules.path("selectPolicy").asString().toUpperCase(Locale.ROOT))
                : defaults.selectPolicy();
        List<ScalingPolicy> policies = new ArrayList<>();
        for (JsonNode policy : rules.path("policies")) {
            String type = policy.path("type").asString("");
            require(type.equals("Pods") || type.equals("Percent"), where, "HPA policy type " + type);
            policies.add(new ScalingPolicy(PolicyType.valueOf(type.toUpperCase(Locale.ROOT)),
                    policy.path("value").asInt(), Duration.ofSeconds(policy.path("periodSeconds").asInt())));
        }
        return new ScalingRules(window, select, rules.has("policies") ? List.copyOf(policies) : defaults.policies());
    }

    /** strconv.ParseBool, which KEDA uses for these flags. */
    private static boolean bool(JsonNode metadata, String name, String where) {
        String value = metadata.path(name).asString("false");
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new IllegalStateException(where + ": trigger metadata " + name + ": '" + value
                    + "' is no boolean KEDA accepts");
        };
    }

    private static void require(boolean condition, String where, String problem) {
        if (!condition) {
            throw new IllegalStateException(where + ": " + problem);
        }
    }
}
