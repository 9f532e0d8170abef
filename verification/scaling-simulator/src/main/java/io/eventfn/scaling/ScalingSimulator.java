package io.eventfn.scaling;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.eventfn.kafka.local.ConsumerGroupLag;
import io.eventfn.kafka.local.LoopbackPort;
import io.eventfn.kafka.local.PackagedApp;

/**
 * A stand-in for KEDA + the HPA + a Deployment, driving real app processes: every {@code pollingInterval} KEDA's loop
 * reads the group's lag from the broker and moves the Deployment between 0 and 1 replica; every {@code hpaSyncPeriod}
 * the HPA reads the same metric and moves it between 1 and {@code maxReplicaCount}; the "ReplicaSet" then starts or
 * SIGTERMs processes until as many run as the Deployment asks for, replacing any that died.
 *
 * <p>Scale-in stops the newest instances first, as a ReplicaSet does when its pods are otherwise equal (running,
 * ready, same node): its ranking prefers deleting the pod that has been ready the shortest time. A stopped instance
 * stops counting at once (a terminating pod is no replica) and drains in the background.
 */
public final class ScalingSimulator implements AutoCloseable {

    /** How to start one replica: the same jar, JVM options and variables for all; the simulator adds INSTANCE_ID and QUARKUS_HTTP_PORT. */
    public record AppTemplate(Path jar, List<String> jvmOptions, Map<String, String> environment, Path logDir) {
    }

    /** One decision of KEDA ("keda") or the HPA ("hpa"), or a failed lag reading ("error"). */
    public record Step(Instant at, String actor, long lag, long metric, boolean active, int from, int to) {

        @Override
        public String toString() {
            return at + " " + actor + " lag=" + lag + " metric=" + metric + " active=" + active + " replicas " + from
                    + (from == to ? "" : " -> " + to);
        }
    }

    private static final Duration EXIT_AFTER_SIGTERM = Duration.ofSeconds(30);

    private final ScaledObject scaledObject;
    private final ConsumerGroupLag lag;
    private final AppTemplate template;
    private final KedaKafkaScaler scaler;
    private final KedaScaleExecutor keda;
    private final HorizontalPodAutoscaler hpa;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "scaling-simulator"));
    private final List<PackagedApp> running = new ArrayList<>();
    private final List<PackagedApp> terminating = new ArrayList<>();
    private final List<Step> history = new ArrayList<>();
    private int deploymentReplicas;
    private int instancesStarted;
    private int maxRunning;
    private Instant firstInstanceStarted;

    public ScalingSimulator(ScaledObject scaledObject, ConsumerGroupLag lag, AppTemplate template) {
        this.scaledObject = scaledObject;
        this.lag = lag;
        this.template = template;
        this.scaler = new KedaKafkaScaler(scaledObject.trigger());
        this.keda = new KedaScaleExecutor(scaledObject);
        this.hpa = HorizontalPodAutoscaler.forScaledObject(scaledObject);
        this.deploymentReplicas = scaledObject.minReplicaCount();
    }

    /** Starts both loops: KEDA polls at once and then every pollingInterval, the HPA every hpaSyncPeriod. */
    public ScalingSimulator start() {
        loop.scheduleWithFixedDelay(this::kedaPoll, 0, scaledObject.pollingInterval().toMillis(), TimeUnit.MILLISECONDS);
        long sync = scaledObject.hpaSyncPeriod().toMillis();
        loop.scheduleWithFixedDelay(this::hpaSync, sync, sync, TimeUnit.MILLISECONDS);
        return this;
    }

    private void kedaPoll() {
        poll("keda", (current, reading, now) -> keda.requestScale(current, reading.active(), now));
    }

    private void hpaSync() {
        poll("hpa", (current, reading, now) -> hpa.reconcile(current, reading.metric(), now));
    }

    private interface Decision {
        int replicas(int current, KedaKafkaScaler.MetricsAndActivity reading, Instant now);
    }

    private synchronized void poll(String actor, Decision decision) {
        Instant now = Instant.now();
        KedaKafkaScaler.MetricsAndActivity reading;
        try {
            reading = scaler.metricsAndActivity(lag.read().partitions());
        } catch (RuntimeException e) {
            // KEDA: isError without fallback leaves the replica count alone.
            record(new Step(now, "error", -1, -1, false, deploymentReplicas, deploymentReplicas));
            System.out.println("[scaling-simulator] " + actor + ": " + e.getMessage());
            return;
        }
        int from = deploymentReplicas;
        deploymentReplicas = decision.replicas(from, reading, now);
        record(new Step(now, actor, reading.uncapped(), reading.metric(), reading.active(), from, deploymentReplicas));
        reconcileReplicaSet();
    }

    private void record(Step step) {
        history.add(step);
        if (step.from() != step.to() || "error".equals(step.actor())) {
            System.out.println("[scaling-simulator] " + step);
        }
    }

    /** The ReplicaSet's job: as many live processes as the Deployment asks for; newest stopped first. */
    private void reconcileReplicaSet() {
        running.removeIf(instance -> {
            if (!instance.isAlive()) {
                System.out.println("[scaling-simulator] " + instance + " exited on its own; replacing it");
                terminating.add(instance);
                return true;
            }
            return false;
        });
        while (running.size() < deploymentReplicas) {
            String name = "replica-" + ++instancesStarted;
            Map<String, String> environment = new HashMap<>(template.environment());
            environment.put("INSTANCE_ID", name);
            environment.put("QUARKUS_HTTP_PORT", Integer.toString(LoopbackPort.free()));
            PackagedApp instance = PackagedApp.jar(template.jar()).name(name).jvmOptions(template.jvmOptions())
                    .environment(environment).workingDirectory(template.jar().getParent())
                    .log(template.logDir().resolve(name + ".log")).start();
            if (firstInstanceStarted == null) {
                firstInstanceStarted = instance.started();
            }
            running.add(instance);
        }
        while (running.size() > deploymentReplicas) {
            PackagedApp newest = running.remove(running.size() - 1);
            newest.sigterm();
            terminating.add(newest);
        }
        maxRunning = Math.max(maxRunning, running.size());
        terminating.removeIf(instance -> !instance.isAlive());
    }

    /** The Deployment's replica count (what KEDA and the HPA read as current). */
    public synchronized int replicas() {
        return deploymentReplicas;
    }

    /** Processes alive, counting those still draining after SIGTERM. */
    public synchronized int liveProcesses() {
        return (int) (running.stream().filter(PackagedApp::isAlive).count()
                + terminating.stream().filter(PackagedApp::isAlive).count());
    }

    public synchronized int instancesStarted() {
        return instancesStarted;
    }

    public synchronized int maxReplicasRunning() {
        return maxRunning;
    }

    public synchronized Instant firstInstanceStarted() {
        return firstInstanceStarted;
    }

    public synchronized List<Step> history() {
        return List.copyOf(history);
    }

    /** Every instance started so far, running or not: for log excerpts in failure messages. */
    public synchronized List<PackagedApp> instances() {
        List<PackagedApp> all = new ArrayList<>(running);
        all.addAll(terminating);
        return all;
    }

    /** Stops the loops, then SIGTERMs every instance and waits for all to exit; kills what does not. */
    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<PackagedApp> all;
        synchronized (this) {
            all = new ArrayList<>(running);
            all.addAll(terminating);
            running.clear();
            terminating.clear();
        }
        all.forEach(PackagedApp::sigterm);
        for (PackagedApp instance : all) {
            try {
                instance.awaitExit(EXIT_AFTER_SIGTERM);
            } catch (IllegalStateException e) {
                System.out.println("[scaling-simulator] " + e.getMessage());
            } finally {
                instance.close();
            }
        }
    }
}
