package io.eventfn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;

/**
 * Where an overlay uses Strimzi's resources, they are the app's: its topics with the partitions KEDA counts on, and
 * its user with the rights the app and KEDA need, whose Secrets (as Strimzi writes them) the app and KEDA read.
 */
@RequiresKustomize
class StrimziTest {

    private static final String CLUSTER_LABEL = "strimzi.io/cluster";

    static List<Overlay> overlays() {
        return Repository.overlays();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void kafkaTopicsCreateEveryTopicTheAppUses(Overlay overlay) {
        if (overlay.ofKind("KafkaTopic").isEmpty()) {
            return;
        }
        Set<String> created = new HashSet<>();
        overlay.ofKind("KafkaTopic").forEach(topic -> created.add(topicName(topic)));
        assertThat(created).as("KafkaTopic resources of overlay %s", overlay.name()).containsAll(appTopics(overlay));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void inputTopicHasThePartitionsTheScaledObjectCountsOn(Overlay overlay) {
        String annotation = overlay.only("ScaledObject").at("/metadata/annotations")
                .path(ScalingContractTest.PARTITIONS_ANNOTATION).asString("");
        for (JsonNode topic : overlay.ofKind("KafkaTopic")) {
            if (inputTopics(overlay).contains(topicName(topic))) {
                assertThat(topic.at("/spec/partitions").asString("")).as("spec.partitions of KafkaTopic %s: the ScaledObject's"
                        + " %s and maxReplicaCount rest on it", topicName(topic), ScalingContractTest.PARTITIONS_ANNOTATION)
                        .isEqualTo(annotation);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void strimziResourcesBelongToTheClusterTheAppConnectsTo(Overlay overlay) {
        List<JsonNode> strimzi = new ArrayList<>(overlay.ofKind("KafkaTopic"));
        strimzi.addAll(overlay.ofKind("KafkaUser"));
        String brokers = appSetting(overlay, "KAFKA_BOOTSTRAP_SERVERS");
        for (JsonNode resource : strimzi) {
            String cluster = resource.at("/metadata/labels").path(CLUSTER_LABEL).asString("");
            assertThat(cluster).as("label %s of %s %s", CLUSTER_LABEL, resource.path("kind").asString(),
                    resource.at("/metadata/name").asString()).isNotEmpty();
            assertThat(brokers).as("KAFKA_BOOTSTRAP_SERVERS: Strimzi's bootstrap Service of cluster %s", cluster)
                    .startsWith(cluster + "-kafka-bootstrap.");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void kafkaUserIsTheUserTheAppLogsInAsWithStrimzisSecret(Overlay overlay) {
        for (JsonNode user : overlay.ofKind("KafkaUser")) {
            String name = user.at("/metadata/name").asString();
            Map<String, String> environment = overlay.literalEnvironment(Repository.container(overlay));
            assertThat(environment.get("KAFKA_SASL_USERNAME")).as("KAFKA_SASL_USERNAME: Strimzi names the SCRAM user after"
                    + " the KafkaUser").isEqualTo(name);
            assertThat(environment.get("KAFKA_SASL_MECHANISM")).as("KAFKA_SASL_MECHANISM for a KafkaUser of type %s",
                    user.at("/spec/authentication/type").asString())
                    .isEqualTo(user.at("/spec/authentication/type").asString().toUpperCase(Locale.ROOT));
            JsonNode password = Repository.container(overlay).path("env").valueStream()
                    .filter(v -> v.path("name").asString().equals("KAFKA_SASL_PASSWORD")).findFirst()
                    .map(v -> v.at("/valueFrom/secretKeyRef")).orElseThrow(() -> new AssertionError("no KAFKA_SASL_PASSWORD"));
            assertThat(password.path("name").asString() + "/" + password.path("key").asString())
                    .as("KAFKA_SASL_PASSWORD: the Secret Strimzi writes for KafkaUser %s, key password", name)
                    .isEqualTo(name + "/password");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void truststoreIsTheClusterCaSecretStrimziWrites(Overlay overlay) {
        for (JsonNode user : overlay.ofKind("KafkaUser")) {
            String cluster = user.at("/metadata/labels").path(CLUSTER_LABEL).asString();
            List<String> secrets = overlay.only("Deployment").at("/spec/template/spec/volumes").valueStream()
                    .map(v -> v.at("/secret/secretName").asString("")).filter(n -> !n.isEmpty()).toList();
            assertThat(secrets).as("Secret volumes: the cluster CA is <cluster>-cluster-ca-cert").contains(cluster + "-cluster-ca-cert");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void kafkaUserMayDoWhatTheAppAndKedaDo(Overlay overlay) {
        for (JsonNode user : overlay.ofKind("KafkaUser")) {
            String group = appSetting(overlay, "KAFKA_GROUP_ID");
            for (String input : inputTopics(overlay)) {
                assertThat(operations(user, "topic", input)).as("ACL on input topic %s", input).contains("Read", "Describe");
            }
            assertThat(operations(user, "group", group)).as("ACL on group %s", group).contains("Read", "Describe");
            for (String output : List.of(appSetting(overlay, "OUTPUT_TOPIC"), appSetting(overlay, "DLQ_TOPIC"))) {
                assertThat(operations(user, "topic", output)).as("ACL on topic %s", output).contains("Write");
            }
            if (appSetting(overlay, "PROCESSING_GUARANTEE").equals("exactly-once")) {
                assertThat(user.at("/spec/authorization/acls").valueStream()
                        .anyMatch(acl -> acl.at("/resource/type").asString().equals("transactionalId")))
                        .as("an ACL on transactional ids, for PROCESSING_GUARANTEE=exactly-once").isTrue();
            }
        }
    }

    /** The operations the user's ACLs allow on a resource, literal or by a matching prefix. */
    private static Set<String> operations(JsonNode user, String type, String name) {
        Set<String> operations = new HashSet<>();
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
            JsonNode resource = acl.path("resource");
            boolean prefix = resource.path("patternType").asString("literal").equals("prefix");
            String pattern = resource.path("name").asString("");
            boolean matches = resource.path("type").asString().equals(type)
                    && (pattern.equals("*") || (prefix ? name.startsWith(pattern) : name.equals(pattern)));
            if (matches && acl.path("type").asString("allow").equals("allow")) {
                acl.path("operations").forEach(o -> operations.add(o.asString()));
            }
        }
        return operations;
    }

    private static String topicName(JsonNode topic) {
        return topic.at("/spec/topicName").asString(topic.at("/metadata/name").asString());
    }

    private static Set<String> appTopics(Overlay overlay) {
        Set<String> topics = new HashSet<>(inputTopics(overlay));
        topics.add(appSetting(overlay, "OUTPUT_TOPIC"));
        topics.add(appSetting(overlay, "DLQ_TOPIC"));
        return topics;
    }

    private static Set<String> inputTopics(Overlay overlay) {
        Set<String> topics = new HashSet<>();
        Arrays.stream(appSetting(overlay, "INPUT_TOPICS").split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(topics::add);
        return topics;
    }

    private static String appSetting(Overlay overlay, String variable) {
        return Optional.ofNullable(overlay.literalEnvironment(Repository.container(overlay)).get(variable))
                .or(() -> Repository.app().defaultOf(variable))
                .orElseThrow(() -> new AssertionError("overlay " + overlay.name() + " does not set " + variable
                        + " and the app has no default for it"));
    }
}
