package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A test run or demo killed with SIGKILL must not leave a broker behind. */
class BrokerOrphanTest {

    @TempDir
    Path dataDir;

    @Test
    void brokerExitsWhenItsParentJvmIsKilled() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process parent = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                BrokerParentMain.class.getName(), dataDir.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long brokerPid = -1;
        try {
            brokerPid = readBrokerPid(parent);
            assertThat(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive)).contains(true);

            parent.destroyForcibly();
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();

            long pid = brokerPid;
            await("broker " + pid + " exits after its parent was killed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !isRunning(pid));
            assertThat(LogTail.of(dataDir.resolve("broker.log"), 5)).contains("Parent process is gone");
        } finally {
            parent.destroyForcibly();
            if (brokerPid > 0) {
                // Only if the assertion above failed: never leave the broker running.
                ProcessHandle.of(brokerPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static long readBrokerPid(Process parent) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Long> pid = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(BrokerParentMain.PID_PREFIX)) {
                        return Long.parseLong(line.substring(BrokerParentMain.PID_PREFIX.length()));
                    }
                }
                throw new IllegalStateException("The parent JVM exited without printing the broker's pid");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return pid.get(90, TimeUnit.SECONDS);
    }

    /** A zombie (exited, not yet reaped by init) counts as gone. */
    private static boolean isRunning(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() && !isZombie(pid);
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
