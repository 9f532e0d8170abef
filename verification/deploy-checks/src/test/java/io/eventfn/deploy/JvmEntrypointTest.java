package io.eventfn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM image's entrypoint (src-native/jvm-entrypoint.sh) starts the app the way src-native/README.md says, without
 * Docker: the script runs in a copy of the image's /deployments with a stand-in {@code java} that prints what it got.
 */
class JvmEntrypointTest {

    private static final Path SRC_NATIVE = Repository.root().resolve("src-native");

    @TempDir
    Path temp;

    private Path deployments;
    private Path bin;

    @BeforeEach
    void imageLayoutWithAStandInJava() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh here: the entrypoint is a POSIX shell script");
        deployments = Files.createDirectories(temp.resolve("deployments"));
        Files.copy(SRC_NATIVE.resolve("jvm-entrypoint.sh"), deployments.resolve("entrypoint.sh"));
        Files.copy(SRC_NATIVE.resolve("jvm.args"), deployments.resolve("jvm.args"));
        // A file a glob in JAVA_OPTS could expand to.
        Files.writeString(deployments.resolve("quarkus-run.jar"), "");
        bin = Files.createDirectories(temp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo "pid $$"
                echo "cwd $(pwd)"
                for argument in "$@"; do echo "arg $argument"; done
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void startsTheAppWithTheAotCacheAndTheImagesFlags() throws Exception {
        Run run = entrypoint(Map.of());

        assertThat(run.arguments()).containsExactly("-XX:AOTCache=app.aot", "@jvm.args", "-jar", "quarkus-run.jar");
    }

    @Test
    void appendsJavaOptsThenJavaOptsAppendAfterTheImagesFlags() throws Exception {
        Run run = entrypoint(Map.of("JAVA_OPTS", "-Xss512k  -Dfrom=java-opts", "JAVA_OPTS_APPEND", "-XX:MaxRAMPercentage=50 -Dfrom=append"));

        assertThat(run.arguments()).containsExactly("-XX:AOTCache=app.aot", "@jvm.args", "-Xss512k", "-Dfrom=java-opts",
                "-XX:MaxRAMPercentage=50", "-Dfrom=append", "-jar", "quarkus-run.jar");
    }

    @Test
    void passesGlobCharactersThroughUnexpanded() throws Exception {
        Run run = entrypoint(Map.of("JAVA_OPTS_APPEND", "-Dlevel=1 *.jar"));

        assertThat(run.arguments()).containsSubsequence("-Dlevel=1", "*.jar", "-jar");
    }

    @Test
    void passesItsArgumentsToTheApp() throws Exception {
        Run run = entrypoint(Map.of(), "-Dquarkus.log.level=DEBUG");

        assertThat(run.arguments()).endsWith("-jar", "quarkus-run.jar", "-Dquarkus.log.level=DEBUG");
    }

    @Test
    void javaReplacesTheShellSoSigtermReachesTheApp() throws Exception {
        Run run = entrypoint(Map.of());

        assertThat(run.lines()).contains("pid " + run.pid());
    }

    @Test
    void runsFromTheApplicationDirectoryWhereverItIsStarted() throws Exception {
        Run run = entrypoint(Map.of());

        assertThat(run.lines()).contains("cwd " + deployments.toRealPath());
    }

    /** The JVM takes the last value of a repeated flag: what JAVA_OPTS_APPEND says wins over jvm.args. */
    @Test
    void userFlagsOverrideTheImagesFlagsInARealJvm() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "@" + SRC_NATIVE.resolve("jvm.args"), "-XX:MaxRAMPercentage=50",
                "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).containsPattern("MaxRAMPercentage\\s+= 50\\.0").containsPattern("UseSerialGC\\s+= true");
    }

    @Test
    void jvmImageUsesTheScriptAndItsBuildContextHoldsIt() throws IOException {
        String dockerfile = Files.readString(SRC_NATIVE.resolve("Dockerfile.jvm"));
        assertThat(dockerfile).contains("COPY --chown=185:0 --chmod=0555 src-native/jvm-entrypoint.sh /deployments/entrypoint.sh",
                "COPY --chown=185:0 src-native/jvm.args /deployments/jvm.args", "ENTRYPOINT [\"/deployments/entrypoint.sh\"]");
        assertThat(Files.readAllLines(SRC_NATIVE.resolve("Dockerfile.jvm.dockerignore")))
                .contains("!src-native/jvm-entrypoint.sh", "!src-native/jvm.args");
    }

    private record Run(long pid, List<String> lines) {

        List<String> arguments() {
            return lines.stream().filter(l -> l.startsWith("arg ")).map(l -> l.substring(4)).toList();
        }
    }

    private Run entrypoint(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", deployments.resolve("entrypoint.sh").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true);
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("JAVA_OPTS_APPEND");
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("entrypoint finished").isTrue();
            assertThat(process.exitValue()).as("exit code; output:\n%s", output).isZero();
            return new Run(process.pid(), output.lines().toList());
        } finally {
            process.destroyForcibly();
        }
    }
}
