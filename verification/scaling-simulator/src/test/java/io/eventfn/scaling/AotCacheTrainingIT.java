package io.eventfn.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.eventfn.kafka.local.LocalKafkaBroker;
import io.eventfn.kafka.local.OrderTraffic;
import io.eventfn.kafka.local.PackagedApp;
import io.eventfn.kafka.local.demo.AotCacheTraining;

/**
 * The cold-start path of the JVM image: local-kafka's {@code aot-train} writes an AOT cache the JVM accepts, and that
 * cache holds what a cold start loads — Kafka's consumer, SmallRye's connector, the app and its core — not only what
 * Quarkus touches before the app runs (a cache from Quarkus's build-time start has no Kafka consumer in it).
 */
class AotCacheTrainingIT {

    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx256m");

    @Test
    void trainedCacheHoldsTheClassesOfTheConsumerPath() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "AOT cache training needs JDK 25 (-XX:AOTCacheOutput); this is "
                + Runtime.version());
        Path jar = AppJar.copy("scaling.app.jar", "aot-training-app");
        var printed = new ByteArrayOutputStream();
        int status = new AotCacheTraining(jar, JVM_OPTIONS, 3_000, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.println(output);

        assertThat(status).as(output).isZero();
        Path cache = jar.resolveSibling(AotCacheTraining.CACHE_FILE);
        assertThat(cache).isRegularFile();
        assertThat(output).contains("OK        run the app");

        Path classLoading = AppJar.workDir().resolve("aot-training-class-load.log");
        Files.deleteIfExists(classLoading);
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().build()) {
            broker.start();
            broker.createTopic("aot-orders", 1);
            broker.createTopic("aot-enriched", 1);
            broker.createTopic("aot-dlq", 1);
            OrderTraffic.produce(broker.bootstrapServers(), "aot-orders", "aot", 0, 10, 0);
            try (PackagedApp app = PackagedApp.jar(jar).name("app with the trained cache").workingDirectory(jar.getParent())
                    .jvmOptions(List.of(JVM_OPTIONS.get(0), JVM_OPTIONS.get(1), "-XX:AOTCache=" + AotCacheTraining.CACHE_FILE,
                            "-XX:AOTMode=on", "-Xlog:class+load=info:file=" + classLoading))
                    .environment(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "KAFKA_GROUP_ID", "aot-group",
                            "INPUT_TOPICS", "aot-orders", "OUTPUT_TOPIC", "aot-enriched", "DLQ_TOPIC", "aot-dlq"))
                    .log(AppJar.workDir().resolve("aot-training-check.log")).start()) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .failFast("the app exited: " + app.log(), () -> !app.isAlive())
                        .until(() -> OrderTraffic.readOutput(broker.bootstrapServers(), "aot-enriched", "aot",
                                Duration.ofSeconds(10)).distinct() == 10);
                app.sigterm();
                assertThat(app.awaitExit(Duration.ofSeconds(30))).isZero();
            }
        }
        // src-native/Dockerfile.jvm's last check: the same flags map the cache, other ones are refused.
        assertThat(javaVersionWithCache(jar, JVM_OPTIONS)).isZero();
        assertThat(javaVersionWithCache(jar, List.of("-XX:+UseZGC", "-Xmx256m"))).isNotZero();

        await().atMost(Duration.ofSeconds(5)).until(() -> Files.isRegularFile(classLoading));
        List<String> loaded = Files.readAllLines(classLoading);
        for (String type : List.of("org.apache.kafka.clients.consumer.KafkaConsumer",
                "io.smallrye.reactive.messaging.kafka.impl.KafkaSource", "io.eventfn.app.delivery.FunctionBinding",
                "io.eventfn.core.orders.OrderEnricher")) {
            assertThat(loaded).as("where %s was loaded from", type)
                    .anySatisfy(line -> assertThat(line).contains(" " + type + " source: shared objects file"));
        }
    }

    /** {@code java -XX:AOTCache=app.aot -XX:AOTMode=on <options> -cp quarkus-run.jar -version} in the app's directory. */
    private static int javaVersionWithCache(Path jar, List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of(PackagedApp.runningJava().toString(),
                "-XX:AOTCache=" + AotCacheTraining.CACHE_FILE, "-XX:AOTMode=on"));
        command.addAll(options);
        command.addAll(List.of("-cp", jar.getFileName().toString(), "-version"));
        Process java = new ProcessBuilder(command).directory(jar.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!java.waitFor(60, TimeUnit.SECONDS)) {
            java.destroyForcibly();
            throw new IllegalStateException("java -version did not finish within 60 s: " + command);
        }
        return java.exitValue();
    }
}
