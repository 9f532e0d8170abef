package io.eventfn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;

/**
 * What cannot be allowed to drift apart: the variables the manifests set and the ones the app reads, and what
 * KEDA watches (group, topics, brokers, offset reset, credentials) and what the app consumes.
 */
@RequiresKustomize
class ScalingContractTest {

    /** Where the input topic's partition count is written down once; maxReplicaCount must not exceed it. */
    static final String PARTITIONS_ANNOTATION = "eventfn.io/input-topic-partitions";

    /** Metadata KEDA's kafka scaler reads (pkg/scalers/kafka_scaler.go); anything else is silently ignored by KEDA. */
    private static final Set<String> KAFKA_SCALER_METADATA = Set.of("bootstrapServers", "bootstrapServersFromEnv",
            "consumerGroup", "consumerGroupFromEnv", "topic", "topicFromEnv", "partitionLimitation", "lagThreshold",
            "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers", "excludePersistentLag",
            "scaleToZeroOnInvalidOffset", "limitToPartitionsWithLag", "ensureEvenDistributionOfPartitions",
            "fullMetadata", "version", "tls", "unsafeSsl", "sasl", "saslTokenProvider", "awsRegion");

    /** Authentication parameters of KEDA's kafka scaler. */
    private static final Set<String> KAFKA_SCALER_AUTH_PARAMETERS = Set.of("sasl", "saslTokenProvider", "username",
            "password", "tls", "ca", "cert", "key", "keyPassword", "scopes", "oauthTokenEndpointUri", "oauthExtensions",
            "keytab", "realm", "kerberosConfig", "kerberosServiceName", "kerberosDisableFAST", "awsRoleArn",
            "awsAccessKeyID", "awsSecretAccessKey");

    /** The app's sasl.mechanism in KEDA's spelling. */
    private static final Map<String, String> KEDA_SASL_OF_MECHANISM = Map.of("PLAIN", "plaintext",
            "SCRAM-SHA-256", "scram_sha256", "SCRAM-SHA-512", "scram_sha512", "OAUTHBEARER", "oauthbearer",
            "GSSAPI", "gssapi");

    static List<Overlay> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyVariableTheManifestsSetIsOneTheAppReads(Overlay overlay) {
        Set<String> kafkaProperties = new HashSet<>(ConsumerConfig.configNames());
        kafkaProperties.addAll(ProducerConfig.configNames());
        kafkaProperties.addAll(AdminClientConfig.configNames());

        List<String> unread = variablesSetBy(overlay).stream()
                .filter(name -> !Repository.app().variables().contains(name))
                .filter(name -> !Repository.documentedVariables().contains(name))
                .filter(name -> AppEnvironment.kafkaPropertyOf(name).map(p -> !kafkaProperties.contains(p)).orElse(true))
                .toList();

        assertThat(unread).as("overlay %s sets variables that application.properties does not bind, the README's"
                + " configuration table does not document, and that are no KAFKA_<Kafka client property>", overlay.name())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void scaledObjectScalesTheAppsDeployment(Overlay overlay) {
        JsonNode target = overlay.only("ScaledObject").at("/spec/scaleTargetRef");
        assertThat(target.path("kind").asString("Deployment")).isEqualTo("Deployment");
        assertThat(target.path("apiVersion").asString("apps/v1")).isEqualTo("apps/v1");
        assertThat(target.path("name").asString()).isEqualTo(overlay.only("Deployment").at("/metadata/name").asString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void triggerWatchesTheGroupTheAppJoins(Overlay overlay) {
        String group = appSetting(overlay, "KAFKA_GROUP_ID");
        for (JsonNode trigger : kafkaTriggers(overlay)) {
            assertThat(trigger.at("/metadata/consumerGroup").asString("")).as("consumerGroup").isEqualTo(group);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void triggersWatchEveryInputTopic(Overlay overlay) {
        Set<String> inputTopics = Arrays.stream(appSetting(overlay, "INPUT_TOPICS").split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
        List<String> watched = kafkaTriggers(overlay).stream().map(t -> t.at("/metadata/topic").asString("")).toList();

        assertThat(watched).as("one kafka trigger per input topic, each naming its topic (a group that never committed"
                + " reads as lag 0 without one)").doesNotContain("").doesNotHaveDuplicates();
        assertThat(new TreeSet<>(watched)).as("topics the triggers watch").isEqualTo(inputTopics);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void triggerReadsTheBrokersTheAppConsumesFrom(Overlay overlay) {
        Set<String> appBrokers = brokers(appSetting(overlay, "KAFKA_BOOTSTRAP_SERVERS"));
        for (JsonNode trigger : kafkaTriggers(overlay)) {
            assertThat(brokers(trigger.at("/metadata/bootstrapServers").asString(""))).isEqualTo(appBrokers);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void brokerAddressesResolveFromKedasNamespaceToo(Overlay overlay) {
        for (String broker : brokers(appSetting(overlay, "KAFKA_BOOTSTRAP_SERVERS"))) {
            String host = broker.substring(0, broker.lastIndexOf(':'));
            assertThat(host).as("broker host %s: KEDA's operator runs in its own namespace, so an unqualified Service"
                    + " name would not resolve there", host).contains(".");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void offsetResetPolicyMatchesTheApps(Overlay overlay) {
        Map<String, String> environment = overlay.literalEnvironment(Repository.container(overlay));
        String appPolicy = Repository.app().property("mp.messaging.incoming.input.auto.offset.reset")
                .or(() -> Optional.ofNullable(environment.get("KAFKA_AUTO_OFFSET_RESET")))
                .or(() -> Repository.app().property("kafka.auto.offset.reset"))
                .orElse("latest");
        for (JsonNode trigger : kafkaTriggers(overlay)) {
            assertThat(trigger.at("/metadata/offsetResetPolicy").asString("latest")).as("offsetResetPolicy")
                    .isEqualTo(appPolicy);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void scalesToZeroAndNoFurtherThanOneReplicaPerPartition(Overlay overlay) {
        JsonNode scaledObject = overlay.only("ScaledObject");
        String partitions = scaledObject.at("/metadata/annotations").path(PARTITIONS_ANNOTATION).asString("");
        assertThat(partitions).as("annotation %s on the ScaledObject", PARTITIONS_ANNOTATION).matches("[1-9][0-9]*");

        assertThat(scaledObject.at("/spec/minReplicaCount").asInt(0)).as("minReplicaCount").isZero();
        assertThat(scaledObject.at("/spec/maxReplicaCount").asInt(100)).as("maxReplicaCount")
                .isBetween(1, Integer.parseInt(partitions));
        for (JsonNode trigger : kafkaTriggers(overlay)) {
            assertThat(trigger.at("/metadata/allowIdleConsumers").asString("false")).as("allowIdleConsumers").isEqualTo("false");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void anyLagWakesTheConsumerFromZero(Overlay overlay) {
        for (JsonNode trigger : kafkaTriggers(overlay)) {
            assertThat(trigger.at("/metadata/activationLagThreshold").asString("0"))
                    .as("activationLagThreshold: records below it would wait, on a quiet topic forever").isEqualTo("0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void aScalerErrorNeverScalesToZero(Overlay overlay) {
        JsonNode fallback = overlay.only("ScaledObject").at("/spec/fallback");
        assertThat(fallback.isObject()).as("spec.fallback").isTrue();
        assertThat(fallback.path("replicas").asInt(0)).as("fallback.replicas (0 lets KEDA scale to zero on errors)")
                .isGreaterThanOrEqualTo(1);
        assertThat(fallback.path("failureThreshold").asInt(0)).as("fallback.failureThreshold").isGreaterThanOrEqualTo(1);
        for (JsonNode trigger : kafkaTriggers(overlay)) {
            assertThat(trigger.path("metricType").asString("AverageValue"))
                    .as("metricType: fallback works for AverageValue in every KEDA release that has it").isEqualTo("AverageValue");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void triggerMetadataNamesAreKafkaScalerParameters(Overlay overlay) {
        for (JsonNode trigger : kafkaTriggers(overlay)) {
            assertThat(trigger.path("metadata").propertyNames()).as("kafka trigger metadata (KEDA ignores unknown names)")
                    .isSubsetOf(KAFKA_SCALER_METADATA);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void triggerAuthenticationReadsKeysTheSecretHas(Overlay overlay) {
        for (JsonNode trigger : kafkaTriggers(overlay)) {
            if (!trigger.has("authenticationRef")) {
                continue;
            }
            JsonNode authentication = triggerAuthentication(overlay, trigger);
            assertThat(authentication.at("/spec/secretTargetRef").isEmpty() && authentication.at("/spec/env").isEmpty())
                    .as("secretTargetRef and env both empty").isFalse();
            for (JsonNode reference : authentication.at("/spec/secretTargetRef")) {
                assertThat(reference.path("parameter").asString()).as("parameter").isIn(KAFKA_SCALER_AUTH_PARAMETERS);
                assertSecretHasKey(overlay, reference.path("name").asString(), reference.path("key").asString());
            }
            for (JsonNode reference : authentication.at("/spec/env")) {
                assertThat(reference.path("parameter").asString()).as("parameter").isIn(KAFKA_SCALER_AUTH_PARAMETERS);
                assertThat(reference.path("containerName").asString(Repository.container(overlay).path("name").asString()))
                        .as("containerName of env parameter %s", reference.path("parameter").asString())
                        .isEqualTo(Repository.container(overlay).path("name").asString());
                assertThat(containerVariable(overlay, reference.path("name").asString()))
                        .as("variable %s that KEDA reads from the container for %s", reference.path("name").asString(),
                                reference.path("parameter").asString())
                        .isPresent();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void secretKeysTheDeploymentReadsExist(Overlay overlay) {
        JsonNode container = Repository.container(overlay);
        for (JsonNode variable : container.path("env")) {
            JsonNode reference = variable.at("/valueFrom/secretKeyRef");
            if (reference.isObject() && !reference.path("optional").asBoolean(false)) {
                assertSecretHasKey(overlay, reference.path("name").asString(), reference.path("key").asString());
            }
        }
        for (JsonNode volume : overlay.only("Deployment").at("/spec/template/spec/volumes")) {
            JsonNode secret = volume.path("secret");
            if (secret.isObject() && !secret.path("optional").asBoolean(false)) {
                for (JsonNode item : secret.path("items")) {
                    assertSecretHasKey(overlay, secret.path("secretName").asString(), item.path("key").asString());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void kedaConnectsWithTheSameSecurityAsTheApp(Overlay overlay) {
        String protocol = appKafkaProperty(overlay, "KAFKA_SECURITY_PROTOCOL", "security.protocol").orElse("PLAINTEXT");
        boolean appUsesTls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
        Optional<String> appSasl = protocol.startsWith("SASL_")
                ? Optional.of(KEDA_SASL_OF_MECHANISM.get(appKafkaProperty(overlay, "KAFKA_SASL_MECHANISM", "sasl.mechanism").orElse("GSSAPI")))
                : Optional.empty();
        for (JsonNode trigger : kafkaTriggers(overlay)) {
            assertThat(kedaParameter(overlay, trigger, "tls").orElse("disable")).as("KEDA's tls (app: %s)", protocol)
                    .isEqualTo(appUsesTls ? "enable" : "disable");
            assertThat(kedaParameter(overlay, trigger, "sasl").filter(s -> !s.equals("none"))).as("KEDA's sasl (app: %s)", protocol)
                    .isEqualTo(appSasl);
            if (appSasl.isPresent() && !appSasl.get().equals("gssapi")) {
                assertThat(kedaParameter(overlay, trigger, "username")).as("KEDA's SASL username").isPresent();
                assertThat(kedaParameter(overlay, trigger, "password")).as("KEDA's SASL password").isPresent();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void kedaLogsInWithTheAppsUserAndSecrets(Overlay overlay) {
        JsonNode container = Repository.container(overlay);
        for (JsonNode trigger : kafkaTriggers(overlay)) {
            Optional<String> appUser = containerVariable(overlay, "KAFKA_SASL_USERNAME");
            if (appUser.isPresent()) {
                assertThat(kedaParameter(overlay, trigger, "username")).as("KEDA's SASL user name").isEqualTo(appUser);
                assertThat(kedaSecretReference(overlay, trigger, "password")).as("where KEDA's SASL password comes from")
                        .isEqualTo(envSecretReference(container, "KAFKA_SASL_PASSWORD"));
            }
            Optional<String> truststore = Optional.ofNullable(overlay.literalEnvironment(container).get("KAFKA_SSL_TRUSTSTORE_LOCATION"));
            if (truststore.isPresent() && "PEM".equals(overlay.literalEnvironment(container).get("KAFKA_SSL_TRUSTSTORE_TYPE"))) {
                assertThat(kedaSecretReference(overlay, trigger, "ca")).as("where KEDA's CA comes from (the app's is %s)", truststore.get())
                        .isEqualTo(mountedSecretReference(overlay, container, truststore.get()));
            }
        }
    }

    /** A key of a Secret. */
    record SecretKey(String secret, String key) {
    }

    private static Optional<SecretKey> kedaSecretReference(Overlay overlay, JsonNode trigger, String parameter) {
        if (!trigger.has("authenticationRef")) {
            return Optional.empty();
        }
        return triggerAuthentication(overlay, trigger).at("/spec/secretTargetRef").valueStream()
                .filter(r -> r.path("parameter").asString().equals(parameter))
                .findFirst()
                .map(r -> new SecretKey(r.path("name").asString(), r.path("key").asString()));
    }

    private static Optional<SecretKey> envSecretReference(JsonNode container, String variable) {
        return container.path("env").valueStream()
                .filter(v -> v.path("name").asString().equals(variable))
                .map(v -> v.at("/valueFrom/secretKeyRef"))
                .filter(JsonNode::isObject)
                .findFirst()
                .map(r -> new SecretKey(r.path("name").asString(), r.path("key").asString()));
    }

    /** The Secret key behind a file the container reads: a secret volume's item (or key) mounted at that path. */
    private static Optional<SecretKey> mountedSecretReference(Overlay overlay, JsonNode container, String file) {
        JsonNode volumes = overlay.only("Deployment").at("/spec/template/spec/volumes");
        for (JsonNode mount : container.path("volumeMounts")) {
            String directory = mount.path("mountPath").asString().replaceAll("/+$", "") + "/";
            if (!file.startsWith(directory)) {
                continue;
            }
            String relative = file.substring(directory.length());
            for (JsonNode volume : volumes) {
                JsonNode secret = volume.path("secret");
                if (volume.path("name").asString().equals(mount.path("name").asString()) && secret.isObject()) {
                    String key = secret.path("items").isEmpty() ? relative : secret.path("items").valueStream()
                            .filter(i -> i.path("path").asString().equals(relative))
                            .map(i -> i.path("key").asString()).findFirst().orElse(null);
                    return key == null ? Optional.empty() : Optional.of(new SecretKey(secret.path("secretName").asString(), key));
                }
            }
        }
        return Optional.empty();
    }

    /** A variable of the app's container as it will read it: a literal value, or the value of its Secret key. */
    private static Optional<String> containerVariable(Overlay overlay, String variable) {
        JsonNode container = Repository.container(overlay);
        return Optional.ofNullable(overlay.literalEnvironment(container).get(variable))
                .or(() -> envSecretReference(container, variable).map(r -> secretValue(overlay, r.secret(), r.key())));
    }

    private static List<String> variablesSetBy(Overlay overlay) {
        JsonNode container = Repository.container(overlay);
        List<String> names = new ArrayList<>();
        container.path("env").forEach(v -> names.add(v.path("name").asString()));
        for (JsonNode source : container.path("envFrom")) {
            String prefix = source.path("prefix").asString("");
            if (source.has("configMapRef")) {
                overlay.find("ConfigMap", source.at("/configMapRef/name").asString())
                        .ifPresent(c -> c.path("data").propertyNames().forEach(k -> names.add(prefix + k)));
            }
            if (source.has("secretRef")) {
                overlay.secret(source.at("/secretRef/name").asString())
                        .ifPresent(s -> Overlay.keysOf(s).forEach(k -> names.add(prefix + k)));
            }
        }
        return names;
    }

    /** The value the app runs with: the manifests' literal value, else application.properties' default. */
    private static String appSetting(Overlay overlay, String variable) {
        return Optional.ofNullable(overlay.literalEnvironment(Repository.container(overlay)).get(variable))
                .or(() -> Repository.app().defaultOf(variable))
                .orElseThrow(() -> new AssertionError("overlay " + overlay.name() + " does not set " + variable
                        + " and the app has no default for it"));
    }

    private static Optional<String> appKafkaProperty(Overlay overlay, String variable, String property) {
        return Optional.ofNullable(overlay.literalEnvironment(Repository.container(overlay)).get(variable))
                .or(() -> Repository.app().property("kafka." + property));
    }

    private static List<JsonNode> kafkaTriggers(Overlay overlay) {
        List<JsonNode> triggers = overlay.only("ScaledObject").at("/spec/triggers").valueStream()
                .filter(t -> t.path("type").asString("").equals("kafka"))
                .toList();
        assertThat(triggers).as("kafka triggers of overlay %s", overlay.name()).isNotEmpty();
        return triggers;
    }

    private static Set<String> brokers(String bootstrapServers) {
        return Arrays.stream(bootstrapServers.split(",")).map(String::trim).filter(b -> !b.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode triggerAuthentication(Overlay overlay, JsonNode trigger) {
        JsonNode reference = trigger.path("authenticationRef");
        assertThat(reference.path("kind").asString("TriggerAuthentication")).isEqualTo("TriggerAuthentication");
        String name = reference.path("name").asString();
        return overlay.find("TriggerAuthentication", name)
                .orElseThrow(() -> new AssertionError("overlay " + overlay.name() + " has no TriggerAuthentication " + name));
    }

    /** A kafka scaler parameter as KEDA resolves it: trigger metadata first, else the TriggerAuthentication's Secret. */
    private static Optional<String> kedaParameter(Overlay overlay, JsonNode trigger, String parameter) {
        if (trigger.path("metadata").has(parameter)) {
            return Optional.of(trigger.path("metadata").path(parameter).asString());
        }
        if (!trigger.has("authenticationRef")) {
            return Optional.empty();
        }
        JsonNode authentication = triggerAuthentication(overlay, trigger);
        return authentication.at("/spec/secretTargetRef").valueStream()
                .filter(r -> r.path("parameter").asString().equals(parameter))
                .findFirst()
                .map(r -> secretValue(overlay, r.path("name").asString(), r.path("key").asString()))
                .or(() -> authentication.at("/spec/env").valueStream()
                        .filter(r -> r.path("parameter").asString().equals(parameter))
                        .findFirst()
                        .flatMap(r -> containerVariable(overlay, r.path("name").asString())));
    }

    private static String secretValue(Overlay overlay, String secretName, String key) {
        JsonNode secret = overlay.secret(secretName).orElseThrow(() -> new AssertionError("overlay " + overlay.name()
                + " references Secret " + secretName + ", which it neither renders nor documents in a *.example.yaml file"));
        if (secret.path("stringData").has(key)) {
            return secret.path("stringData").path(key).asString();
        }
        return new String(Base64.getDecoder().decode(secret.path("data").path(key).asString()), StandardCharsets.UTF_8);
    }

    private static void assertSecretHasKey(Overlay overlay, String secretName, String key) {
        JsonNode secret = overlay.secret(secretName).orElseThrow(() -> new AssertionError("overlay " + overlay.name()
                + " references Secret " + secretName + ", which it neither renders nor documents in a *.example.yaml file"));
        assertThat(Overlay.keysOf(secret)).as("keys of Secret %s", secretName).contains(key);
    }
}
