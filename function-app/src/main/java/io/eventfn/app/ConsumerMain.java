package io.eventfn.app;

import io.eventfn.app.config.StartupSettingsCheck;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import sun.misc.Signal;

/**
 * Runs until told to stop. SIGTERM (what Kubernetes sends on scale-in) and SIGINT start the same graceful stop —
 * stop fetching, finish and commit what is in flight, leave the group — and a clean stop exits 0, not the JVM's 143.
 */
@QuarkusMain
public class ConsumerMain implements QuarkusApplication {

    public static void main(String... args) {
        // Every setting is checked before Quarkus starts, so that a mistake exits at once with one line.
        StartupSettingsCheck.mistakeBeforeStart().ifPresent(mistake -> {
            System.err.println(mistake);
            System.exit(1);
        });
        Quarkus.run(ConsumerMain.class, args);
    }

    @Override
    public int run(String... args) {
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            // Dev mode keeps its own: Ctrl-C there ends the dev-mode JVM (and its local broker), not only the app.
            Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
            Signal.handle(new Signal("INT"), signal -> Quarkus.asyncExit(0));
        }
        Quarkus.waitForExit();
        return 0;
    }
}
