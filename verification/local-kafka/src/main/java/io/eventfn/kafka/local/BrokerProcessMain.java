package io.eventfn.kafka.local;

import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point of the broker child process: runs {@code kafka.Kafka} and halts as soon as the parent
 * JVM is gone, so that a killed test run or demo never leaves a broker behind.
 *
 * <p>The parent holds the write end of this process's standard input and never writes to it. The
 * operating system closes that pipe when the parent exits for any reason, SIGKILL included, and
 * the read below then sees end of file.
 */
public final class BrokerProcessMain {

    /** Exit status when the parent went away; distinguishes it from Kafka's own exit codes in the log. */
    static final int PARENT_GONE_EXIT_STATUS = 3;

    private BrokerProcessMain() {
    }

    public static void main(String[] args) {
        Thread watcher = new Thread(BrokerProcessMain::haltWhenParentIsGone, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
        kafka.Kafka.main(args);
    }

    private static void haltWhenParentIsGone() {
        byte[] buffer = new byte[256];
        try (InputStream parent = System.in) {
            while (parent.read(buffer) != -1) {
                // The parent never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end of file: the parent is gone.
        }
        System.out.println("Parent process is gone (standard input closed); halting the broker.");
        System.out.flush();
        // halt, not exit: a graceful shutdown could take many seconds and nobody is waiting for it.
        Runtime.getRuntime().halt(PARENT_GONE_EXIT_STATUS);
    }
}
