package io.eventfn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.eventfn.app.testing.AppUnderTest;
import io.eventfn.app.testing.MetricsPage;
import io.eventfn.app.testing.PromQl;
import io.eventfn.app.testing.SharedBroker;
import io.eventfn.kafka.local.ConsumerGroupLag;
import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.PackagedApp;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * deploy/monitoring (the Grafana dashboard and the alerting rules) against the packaged app's real {@code /q/metrics}
 * after real traffic, dead letters included; and the committed lag the app reports against what the Admin API gives,
 * counted as KEDA counts it.
 */
class MonitoringIT {

    private static final Path WORK = Path.of("target", "it-work");
    private static final Path MONITORING = Path.of("..", "deploy", "monitoring");
    private static final Path DASHBOARD = MONITORING.resolve("grafana-dashboard.json");
    private static final Path RULES = MONITORING.resolve("prometheusrule.yaml");
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int PARTITIONS = 3;

    /** Series the dashboard or the rules read that no app exports, and who writes them. */
    private static final Map<String, String> NOT_FROM_THE_APP = Map.of(
            "up", "Prometheus, for every scrape target",
            "kube_pod_status_ready", "kube-state-metrics (part of kube-prometheus-stack)");
    /**
     * Quarkus 3.33 binds Micrometer's GC binder only on the JVM (MicrometerRecorder: JvmGcMetrics when
     * ImageMode.current() is JVM), and the heap-after-GC gauge needs GC notifications: a native executable has neither.
     */
    private static final Pattern JVM_ONLY = Pattern.compile("jvm_gc_.*|jvm_memory_usage_after_gc");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*\\w+\\)$");
    private static final Pattern PROMETHEUS_DURATION = Pattern.compile("([0-9]+(ms|[smhdwy]))+");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String INPUT = "monitoring-orders-" + RUN;
    private static final String GROUP = "monitoring-" + RUN;

    private static LocalKafkaBroker broker;
    private static KafkaCompanion companion;
    private static PackagedApp app;
    private static int httpPort;

    @BeforeAll
    static void startTheAppAndPushTrafficWithDeadLetters() {
        broker = SharedBroker.get();
        broker.createTopic(INPUT, PARTITIONS);
        broker.createTopic("monitoring-enriched-" + RUN, PARTITIONS);
        broker.createTopic("monitoring-dlq-" + RUN, 1);
        companion = new KafkaCompanion(broker.bootstrapServers());
        Map<String, String> environment = AppUnderTest.environment(broker.bootstrapServers());
        environment.put("INPUT_TOPICS", INPUT);
        environment.put("OUTPUT_TOPIC", "monitoring-enriched-" + RUN);
        environment.put("DLQ_TOPIC", "monitoring-dlq-" + RUN);
        environment.put("KAFKA_GROUP_ID", GROUP);
        httpPort = Integer.parseInt(environment.get("QUARKUS_HTTP_PORT"));
        // A small heap, so that the JVM collects garbage (and Micrometer registers jvm_gc_pause) during the run.
        app = AppUnderTest.start(environment, WORK, List.of("-Xmx96m"));

        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(record("o-" + i, "{\"orderId\":\"o-" + i + "\",\"customerId\":\"c-7\",\"currency\":\"EUR\","
                    + "\"lines\":[{\"sku\":\"A-1\",\"quantity\":2,\"unitPrice\":9.99}]}"));
        }
        records.add(record("broken-1", "{\"orderId\":"));
        records.add(record("broken-2", "{\"orderId\":\"o\",\"customerId\":\"c\",\"currency\":\"eur\","
                + "\"lines\":[{\"sku\":\"A-1\",\"quantity\":2,\"unitPrice\":9.99}]}"));
        records.add(new ProducerRecord<>(INPUT, utf8("tombstone"), null));
        companion.produce(Serdes.ByteArray(), Serdes.ByteArray()).fromRecords(records).awaitCompletion(DEADLINE);

        await().atMost(DEADLINE).ignoreException(UncheckedIOException.class).untilAsserted(() -> {
            assertThat(app.isAlive()).as("the app runs; its log: %s", app.log()).isTrue();
            MetricsPage page = scrape();
            assertThat(page.sum("eventfn_records_emitted_total")).isGreaterThanOrEqualTo(30);
            assertThat(page.sum("eventfn_records_dead_lettered_total")).isGreaterThanOrEqualTo(2);
            assertThat(page.sum("eventfn_lag_committed_records")).isZero();
            assertThat(page.samples("eventfn_partition_lag_committed_records")).hasSize(PARTITIONS);
        });
    }

    @AfterAll
    static void stopTheApp() {
        if (app != null) {
            app.close();
        }
        if (companion != null) {
            companion.close();
        }
    }

    @Test
    void everyMetricTheDashboardAndTheAlertingRulesReadIsOnTheAppsMetricsPage() throws IOException {
        Set<String> onThePage = scrape().names();
        Map<String, String> expressions = new LinkedHashMap<>();
        dashboardQueries().forEach((where, query) -> expressions.put("grafana-dashboard.json " + where, query));
        alertExpressions().forEach((alert, expr) -> expressions.put("prometheusrule.yaml " + alert, expr));

        Set<String> used = new HashSet<>();
        List<String> missing = new ArrayList<>();
        expressions.forEach((where, expression) -> {
            for (String name : PromQl.metricNames(expression)) {
                used.add(name);
                boolean absentInNativeOnPurpose = AppUnderTest.isNative() && JVM_ONLY.matcher(name).matches();
                if (!onThePage.contains(name) && !NOT_FROM_THE_APP.containsKey(name) && !absentInNativeOnPurpose) {
                    missing.add(name + " (" + where + ": " + expression.strip() + ")");
                }
            }
        });

        assertThat(missing).as("metric names not on /q/metrics of the running app").isEmpty();
        assertThat(used).as("what the dashboard and the rules are about").contains("eventfn_lag_committed_records",
                "eventfn_partition_lag_committed_records", "eventfn_time_to_drain_seconds",
                "eventfn_records_dead_lettered_total", "eventfn_last_commit_age_seconds", "up", "jvm_gc_pause_seconds_sum");
        assertThat(onThePage).as("the names said to come from elsewhere really do")
                .doesNotContainAnyElementsOf(NOT_FROM_THE_APP.keySet());
    }

    @Test
    void theAlertingRulesAreAWellFormedPrometheusRuleCoveringLagDrainDeadLettersCommitsAndReadiness()
            throws IOException {
        JsonNode rule = YAML.readTree(RULES.toFile());

        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(rule.path("metadata").path("name").asText()).isNotBlank();
        JsonNode groups = rule.path("spec").path("groups");
        assertThat(groups.isArray() && !groups.isEmpty()).as("spec.groups is a non-empty list").isTrue();
        Set<String> groupNames = new HashSet<>();
        for (JsonNode group : groups) {
            assertThat(groupNames.add(group.path("name").asText())).as("group names are unique and set").isTrue();
            assertThat(group.path("rules").isArray() && !group.path("rules").isEmpty()).isTrue();
            for (JsonNode each : group.path("rules")) {
                String alert = each.path("alert").asText();
                assertThat(alert).as("every rule is an alert with a name: %s", each).matches("[A-Z][A-Za-z0-9]+");
                assertThat(each.has("record")).isFalse();
                assertThat(each.path("expr").asText()).as("%s has an expression", alert).isNotBlank();
                assertThat(each.path("for").asText()).as("%s waits a Prometheus duration", alert)
                        .matches(PROMETHEUS_DURATION);
                assertThat(each.path("labels").path("severity").asText()).as("%s has a severity", alert)
                        .isIn("critical", "warning", "info");
                assertThat(each.path("annotations").path("summary").asText()).as("%s has a summary", alert).isNotBlank();
                assertThat(each.path("annotations").path("description").asText()).as("%s has a description", alert)
                        .isNotBlank();
            }
        }
        Map<String, String> alerts = alertExpressions();
        assertThat(alerts.values()).as("alerts on committed lag, time to drain, dead letters, commit age, up, readiness")
                .anyMatch(expr -> expr.contains("eventfn_lag_committed_records") && !expr.contains("commit_age"))
                .anyMatch(expr -> expr.contains("eventfn_time_to_drain_seconds"))
                .anyMatch(expr -> expr.contains("eventfn_records_dead_lettered_total"))
                .anyMatch(expr -> expr.contains("eventfn_last_commit_age_seconds"))
                .anyMatch(expr -> expr.contains("up =="))
                .anyMatch(expr -> expr.contains("kube_pod_status_ready"));
    }

    @Test
    void everyDashboardPanelQueriesPrometheusAndSaysWhatItShows() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());

        assertThat(dashboard.path("uid").asText()).isNotBlank();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : allPanels(dashboard)) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique: %s", panel.path("title")).isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String title = panel.path("title").asText();
            assertThat(panel.path("description").asText()).as("%s describes what it shows", title).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as("%s has queries", title).isNotEmpty()
                    .allSatisfy(target -> assertThat(target.path("expr").asText()).isNotBlank());
            boolean readsJvmOnlySeries = panel.path("targets").findValuesAsText("expr").stream()
                    .flatMap(expr -> PromQl.metricNames(expr).stream()).anyMatch(n -> JVM_ONLY.matcher(n).matches());
            if (readsJvmOnlySeries) {
                assertThat(title).as("a panel of JVM-only series says so").contains("JVM only");
                assertThat(panel.path("description").asText()).contains("native");
            }
        }
    }

    /** Skips where promtool (Debian: apt-get install prometheus) is not installed; CI machines do not have it. */
    @Test
    void promtoolAcceptsTheRulesAndEveryDashboardQuery() throws Exception {
        Optional<Path> promtool = promtool();
        Assumptions.assumeTrue(promtool.isPresent(), "promtool is not on the PATH (Debian: apt-get install prometheus;"
                + " or -Dpromtool=/path/to/promtool): the rules and queries were not checked by Prometheus' own parser");
        ObjectNode rulesFile = (ObjectNode) YAML.readTree(RULES.toFile()).path("spec").deepCopy();
        ObjectNode dashboardGroup = ((ArrayNode) rulesFile.path("groups")).addObject();
        dashboardGroup.put("name", "dashboard-queries");
        ArrayNode records = dashboardGroup.putArray("rules");
        int i = 0;
        for (String query : dashboardQueries().values()) {
            // Grafana substitutes its variables before Prometheus sees a query, and answers label_values itself.
            String promql = LABEL_VALUES.matcher(query).replaceAll("$1")
                    .replace("$__rate_interval", "5m").replace("$namespace", "default");
            records.addObject().put("record", "eventfn_dashboard:query_" + i++).put("expr", promql);
        }
        Path file = Files.createTempFile(Files.createDirectories(WORK), "rules-", ".yaml");
        YAML.writeValue(file.toFile(), rulesFile);
        Process check = new ProcessBuilder(promtool.get().toString(), "check", "rules", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as("promtool check rules says:%n%s", output).isZero();
    }

    @Test
    void committedLagIsWhatTheAdminApiGivesAndCountsAnOpenTransactionTheUnconsumedLagDoesNot() {
        int inOpenTransaction = 5;
        try (ConsumerGroupLag lag = ConsumerGroupLag.of(GROUP, INPUT).partitions(PARTITIONS)
                .connect(broker.clientProperties());
                KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < inOpenTransaction; i++) {
                producer.send(new ProducerRecord<>(INPUT, 0, utf8("pending-" + i), utf8("{}")));
            }
            producer.flush();

            // The high watermark counts the open transaction's records; a read_committed consumer cannot pass them.
            await().atMost(DEADLINE).ignoreException(UncheckedIOException.class).untilAsserted(() -> {
                MetricsPage page = scrape();
                Map<Integer, Long> kedaLag = kedaLag(lag.read());
                assertThat(committedLagPerPartition(page)).isEqualTo(kedaLag);
                assertThat(kedaLag).containsEntry(0, (long) inOpenTransaction);
                assertThat(page.sum("eventfn_lag_committed_records")).isEqualTo(inOpenTransaction);
                assertThat(page.sum("eventfn_lag_unconsumed_records")).isZero();
            });

            producer.abortTransaction();
            // The abort marker lets the consumer past; the app commits that position once idle: lag 0 for KEDA too.
            await().atMost(DEADLINE).ignoreException(UncheckedIOException.class).untilAsserted(() -> {
                MetricsPage page = scrape();
                Map<Integer, Long> kedaLag = kedaLag(lag.read());
                assertThat(kedaLag.values()).containsOnly(0L);
                assertThat(committedLagPerPartition(page)).isEqualTo(kedaLag);
                assertThat(page.sum("eventfn_lag_committed_records")).isZero();
                assertThat(page.sum("eventfn_time_to_drain_seconds")).isZero();
            });
        }
    }

    /** KEDA's getLagForPartition with offsetResetPolicy earliest, the app's default and deploy/'s setting. */
    private static Map<Integer, Long> kedaLag(ConsumerGroupLag.Snapshot snapshot) {
        Map<Integer, Long> lags = new TreeMap<>();
        for (ConsumerGroupLag.PartitionLag partition : snapshot.partitions()) {
            lags.put(partition.partition().partition(), partition.hasCommittedOffset()
                    ? partition.endOffset() - partition.committedOffset() : partition.endOffset());
        }
        return lags;
    }

    private static Map<Integer, Long> committedLagPerPartition(MetricsPage page) {
        Map<Integer, Long> lags = new TreeMap<>();
        for (MetricsPage.Sample sample : page.samples("eventfn_partition_lag_committed_records")) {
            if (sample.labels().get("topic").equals(INPUT)) {
                lags.put(Integer.parseInt(sample.labels().get("partition")), (long) sample.value());
            }
        }
        return lags;
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer() {
        Map<String, Object> config = new HashMap<>(broker.clientProperties());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "monitoring-open-transaction-" + RUN);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Every PromQL query of the dashboard (panel targets and query variables), by where it is. */
    private static Map<String, String> dashboardQueries() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : allPanels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.put("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                queries.put("variable " + variable.path("name").asText(),
                        query.isObject() ? query.path("query").asText() : query.asText());
            }
        }
        return queries;
    }

    private static List<JsonNode> allPanels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    private static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                expressions.put(rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        return expressions;
    }

    private static Optional<Path> promtool() {
        String configured = System.getProperty("promtool");
        if (configured != null) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static MetricsPage scrape() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return MetricsPage.of(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET /q/metrics on port " + httpPort + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String key, String value) {
        return new ProducerRecord<>(INPUT, utf8(key), utf8(value));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
