package io.eventfn.devkafka.deployment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.eventfn.kafka.local.LocalKafkaBroker;
import io.quarkus.deployment.IsLocalDevelopment;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CuratedApplicationShutdownBuildItem;
import io.quarkus.deployment.builditem.DevServicesResultBuildItem;

/**
 * In dev mode ({@code quarkus dev}, {@code ./mvnw quarkus:dev}) and nowhere else: starts the project's own Kafka
 * broker (local-kafka: a KRaft broker from Kafka's jars, a child process of the dev-mode JVM, no container), creates
 * the app's topics and points the app at it, unless {@code KAFKA_BOOTSTRAP_SERVERS} names a broker already.
 * <p>
 * One broker per dev session: a live reload runs this step again and reuses it (the static field survives reloads,
 * as the deployment class loader does), creating any topic the new settings name. It stops with dev mode: on
 * {@code q} or Ctrl-C through the close task below, and whenever the dev-mode JVM dies, however it dies, because the
 * broker halts as soon as its parent is gone (local-kafka's {@code BrokerProcessMain}). Its data lives in a temporary
 * directory deleted at stop: every session starts empty.
 */
public class LocalKafkaDevService {

    private static final Logger LOG = Logger.getLogger(LocalKafkaDevService.class);

    static final String NAME = "local-kafka";
    static final int INPUT_PARTITIONS = 3;

    /** The broker of this dev session; null before the first start and after the stop. */
    private static volatile LocalKafkaBroker broker;

    @BuildStep(onlyIf = IsLocalDevelopment.class)
    void startLocalKafka(CuratedApplicationShutdownBuildItem shutdown,
            BuildProducer<DevServicesResultBuildItem> devServices) {
        Config config = ConfigProvider.getConfig();
        Optional<String> configured = config.getOptionalValue("KAFKA_BOOTSTRAP_SERVERS", String.class)
                .filter(servers -> !servers.isBlank());
        if (configured.isPresent()) {
            LOG.infof("Dev mode: using the Kafka brokers of KAFKA_BOOTSTRAP_SERVERS=%s; no local broker started",
                    configured.get());
            return;
        }
        LocalKafkaBroker running = runningBroker(shutdown);
        Map<String, Integer> topics = topics(config);
        topics.forEach(running::createTopic);
        String bootstrapServers = running.bootstrapServers();
        devServices.produce(new DevServicesResultBuildItem(NAME,
                "Kafka broker from local-kafka (pid " + running.pid() + "), stops with dev mode", null,
                Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers, "kafka.bootstrap.servers", bootstrapServers)));
        LOG.infof("Dev mode: local Kafka broker at %s (pid %d, stops with dev mode), topics %s", bootstrapServers,
                running.pid(), topics.keySet());
    }

    private static synchronized LocalKafkaBroker runningBroker(CuratedApplicationShutdownBuildItem shutdown) {
        LocalKafkaBroker running = broker;
        if (running != null && running.isRunning()) {
            return running;
        }
        LOG.info("Dev mode: KAFKA_BOOTSTRAP_SERVERS is not set; starting a local Kafka broker (local-kafka)");
        LocalKafkaBroker started = LocalKafkaBroker.builder().build();
        started.start();
        broker = started;
        shutdown.addCloseTask(() -> {
            broker = null;
            started.close();
        }, true);
        return started;
    }

    /** The app's input, output and dead-letter topics, from its settings (defaults included). */
    private static Map<String, Integer> topics(Config config) {
        Map<String, Integer> topics = new LinkedHashMap<>();
        List.of(config.getValue("consumer.input-topics", String[].class))
                .forEach(topic -> topics.put(topic.strip(), INPUT_PARTITIONS));
        topics.put(config.getValue("consumer.output-topic", String.class), INPUT_PARTITIONS);
        topics.put(config.getValue("consumer.dead-letter-topic", String.class), 1);
        return topics;
    }
}
