package io.eventfn.app.metrics;

import java.time.Duration;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.eventfn.app.config.ConsumerSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;

/**
 * One INFO line every {@code PROGRESS_LOG_INTERVAL} (default 30 s; 0 turns it off) while records arrive or lag
 * remains: records and records/s since the last line, dead letters, lag (committed, as KEDA counts it, and the part
 * not fetched yet) and estimated time to drain, last commit.
 * An idle consumer without lag logs nothing, so a scaled-down quiet topic does not fill the log.
 */
@ApplicationScoped
public class ProgressLog {

    private static final Logger LOG = Logger.getLogger(ProgressLog.class);

    private final Duration interval;
    private final DeliveryMetrics deliveries;
    private final ConsumerLagProbe lagProbe;
    private final CommittedLagProbe committedLag;
    private final CommitMetrics commits;
    private final Vertx vertx;

    private long timer = -1;
    private long lastNanos;
    private long lastReceived;
    private long lastDeadLettered;

    @Inject
    public ProgressLog(ConsumerSettings settings, DeliveryMetrics deliveries, ConsumerLagProbe lagProbe,
            CommittedLagProbe committedLag, CommitMetrics commits, Vertx vertx) {
        this.interval = settings.progressLogInterval();
        this.deliveries = deliveries;
        this.lagProbe = lagProbe;
        this.committedLag = committedLag;
        this.commits = commits;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        lastNanos = System.nanoTime();
        timer = vertx.setPeriodic(Math.max(1, interval.toMillis()), tick -> logProgress());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void logProgress() {
        long now = System.nanoTime();
        long received = deliveries.receivedSoFar();
        long deadLettered = deliveries.deadLetteredSoFar();
        Lag lag = new Lag(committedLag.records(), committedLag.partitions(), lagProbe.unconsumedRecords(),
                committedLag.timeToDrainSeconds());
        long newRecords = received - lastReceived;
        if (newRecords > 0 || lag.committedRecords() > 0 || lag.unconsumedRecords() > 0) {
            LOG.info(line(newRecords, (now - lastNanos) / 1e9, deadLettered - lastDeadLettered, lag,
                    commits.lastCommitAgeSeconds()));
        }
        lastNanos = now;
        lastReceived = received;
        lastDeadLettered = deadLettered;
    }

    /**
     * The lag as KEDA counts it (from the committed offsets; NaN while the brokers cannot be read) on this instance's
     * partitions, the part of it not fetched yet, and the time to drain the committed lag.
     */
    record Lag(double committedRecords, int partitions, long unconsumedRecords, double timeToDrainSeconds) {
    }

    static String line(long records, double seconds, long deadLettered, Lag lag, double lastCommitAgeSeconds) {
        String lagText = Double.isNaN(lag.committedRecords()) ? "lag unknown (offsets not readable)"
                : String.format(Locale.ROOT, "lag %.0f records on %d partitions (%d not fetched yet), time to drain %s",
                        lag.committedRecords(), lag.partitions(), lag.unconsumedRecords(),
                        seconds(lag.timeToDrainSeconds()));
        return String.format(Locale.ROOT,
                "Progress: %d records in %.0f s (%.1f records/s), %d dead-lettered; %s; last commit %s",
                records, seconds, seconds > 0 ? records / seconds : 0.0, deadLettered, lagText,
                Double.isNaN(lastCommitAgeSeconds) ? "none yet" : seconds(lastCommitAgeSeconds) + " ago");
    }

    private static String seconds(double value) {
        if (Double.isInfinite(value)) {
            return "unknown (no progress)";
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f s" : "%.0f s", value);
    }
}
