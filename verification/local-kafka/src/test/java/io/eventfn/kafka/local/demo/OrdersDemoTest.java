package io.eventfn.kafka.local.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrdersDemoTest {

    @TempDir
    Path tempDir;

    @Test
    void reportsEveryOrderEnrichedOrDeadLetteredByTheApp() throws Exception {
        Path appJar = standInAppJar();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        OrdersDemo.Settings settings = new OrdersDemo.Settings(3_000, 5, 2, false, Duration.ofSeconds(120), appJar);

        int status;
        try (PrintStream out = new PrintStream(new TeeOutputStream(output, System.out), true, StandardCharsets.UTF_8)) {
            status = new OrdersDemo(settings, out).run();
        }

        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isZero();
        assertThat(printed)
                .contains("Produced  3,000 orders")
                .containsPattern("enriched +[0-9,]+ +expected [0-9,]+ \\(valid orders\\)  OK")
                .containsPattern("dead-lettered +[0-9,]+ +expected [0-9,]+ \\(invalid orders\\)  OK")
                .contains("Stopped   the consumer app")
                .contains("Stopped   the broker");
    }

    @Test
    void failsBeforeStartingAnythingWhenTheAppJarIsMissing() {
        Path missing = tempDir.resolve("quarkus-run.jar");
        OrdersDemo.Settings settings = new OrdersDemo.Settings(10, 0, 1, false, Duration.ofSeconds(10), missing);

        assertThatThrownBy(() -> new OrdersDemo(settings, System.out).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("run ./mvnw -B -DskipTests package first");
    }

    /** A jar with only a manifest: java -jar runs StandInOrderEnricher from this test's classpath. */
    private Path standInAppJar() throws IOException {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, StandInOrderEnricher.class.getName());
        attributes.put(Attributes.Name.CLASS_PATH, Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toUri().toString())
                .collect(Collectors.joining(" ")));
        Path jar = tempDir.resolve("stand-in-app.jar");
        try (JarOutputStream ignored = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            return jar;
        }
    }

    /** Shows the demo's output in the test log while the test also reads it; closes neither. */
    private static final class TeeOutputStream extends OutputStream {

        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
