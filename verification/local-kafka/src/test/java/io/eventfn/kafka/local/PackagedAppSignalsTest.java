package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGSTOP and SIGCONT through {@link PackagedApp}, on a stand-in program that writes a line every 50 ms. */
class PackagedAppSignalsTest {

    @Test
    void pauseFreezesTheProcessAndResumeLetsItRunOn(@TempDir Path dir) throws IOException {
        Path ticker = dir.resolve("ticker.sh");
        Files.writeString(ticker, "#!/bin/sh\nwhile true; do echo tick; sleep 0.05; done\n");
        Files.setPosixFilePermissions(ticker, PosixFilePermissions.fromString("rwx------"));
        try (PackagedApp app = PackagedApp.nativeExecutable(ticker).name("ticker").log(dir.resolve("ticker.log"))
                .start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> lines(app) > 3);

            app.pause();
            // A line being written at the stop may still land; after that the count stands still.
            long[] frozenAt = { lines(app) };
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(700)).until(() -> {
                long now = lines(app);
                boolean still = now == frozenAt[0];
                frozenAt[0] = now;
                return still;
            });
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> lines(app) == frozenAt[0]);
            assertThat(app.isAlive()).isTrue();

            app.resume();
            await().atMost(Duration.ofSeconds(10)).until(() -> lines(app) > frozenAt[0] + 3);
        }
    }

    private static long lines(PackagedApp app) {
        return app.output().lines().count();
    }
}
