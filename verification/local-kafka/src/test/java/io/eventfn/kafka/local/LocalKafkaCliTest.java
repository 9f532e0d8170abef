package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void printsUsageForHelp() throws Exception {
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("start [--port N] [--data-dir DIR]", "demo [--records N]",
                "aot-train [--app-jar PATH]");
    }

    @Test
    void aotTrainingRefusesAMissingJvmArgsFileBeforeStartingAnything() throws Exception {
        assertThat(run("aot-train", "--jvm-args-file", "no-such-jvm.args")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--jvm-args-file no-such-jvm.args does not exist");
    }

    @Test
    void aotTrainingNamesAMissingAppJar(@TempDir Path dir) throws Exception {
        assertThat(run("aot-train", "--app-jar", dir.resolve("quarkus-run.jar").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("The consumer app is not built", "./mvnw -B -DskipTests package");
    }

    @Test
    void namesTheOptionAtFault() throws Exception {
        assertThat(run("demo", "--records", "many")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--records must be a whole number, not 'many'");

        assertThat(run("start", "--prot", "9092")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--prot'");
    }

    @Test
    void rejectsAnUnknownCommand() throws Exception {
        assertThat(run("serve")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown command 'serve'");
    }

    private int run(String... args) throws Exception {
        return LocalKafkaCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
