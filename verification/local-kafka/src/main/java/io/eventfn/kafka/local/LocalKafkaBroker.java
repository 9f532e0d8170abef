package io.eventfn.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process) running as a
 * child process on 127.0.0.1, for tests, benchmarks and the demo.
 *
 * <p>The broker runs from the jars in {@code verification/local-kafka/target/kafka-libs}, which the build copies
 * there; see {@link BrokerClasspath}. It halts by itself when this JVM dies, however it dies; see
 * {@link BrokerProcessMain}. Stopping and starting again keeps the port and the data, so fault tests
 * can take the broker away under a running application and bring it back.
 *
 * <pre>{@code
 * try (LocalKafkaBroker broker = LocalKafkaBroker.builder().build()) {
 *     broker.start();
 *     broker.createTopic("orders", 3);
 *     String bootstrapServers = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** Lines of {@code broker.log} that a start failure shows. */
    private static final int LOG_LINES_ON_FAILURE = 40;
    /** The first error lines too: the cause is often logged long before the shutdown that ends the log. */
    private static final int LOG_ERRORS_ON_FAILURE = 10;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_OPERATION_TIMEOUT = Duration.ofSeconds(30);
    /** How long one readiness probe may take before the broker process is checked again. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Map<String, String> serverPropertyOverrides;
    private final List<String> jvmArguments;
    private final Duration startTimeout;
    private final boolean secured;
    private final List<SaslUser> saslUsers;
    private final String storePassword;

    private volatile int port;
    private final Map<SecuredListener, Integer> securedPorts = new EnumMap<>(SecuredListener.class);
    private volatile BrokerTls tls;
    private volatile int controllerPort;
    private BrokerClasspath classpath;
    private volatile Process process;
    private boolean closed;

    private LocalKafkaBroker(Builder builder) {
        this.ownsDataDir = builder.dataDir == null;
        this.dataDir = ownsDataDir ? createTempDir() : builder.dataDir.toAbsolutePath();
        this.port = builder.port;
        this.serverPropertyOverrides = Map.copyOf(builder.serverProperties);
        this.jvmArguments = List.copyOf(builder.jvmArguments);
        this.startTimeout = builder.startTimeout;
        this.controllerPort = builder.controllerPort;
        this.secured = builder.secured;
        this.saslUsers = List.copyOf(builder.saslUsers);
        this.storePassword = builder.storePassword != null ? builder.storePassword : UUID.randomUUID().toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the broker and blocks until it answers metadata requests. The first start formats the
     * data dir; later starts reuse it, and the port, so topics and records survive {@link #stop()}.
     *
     * @throws BrokerStartException when the broker exits or is not ready within the start timeout;
     *                              the message ends with the last lines of {@link #logFile()}
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("This broker was closed; build a new LocalKafkaBroker.");
        }
        if (isRunning()) {
            throw new IllegalStateException("The broker is already running on " + bootstrapServers() + " (pid " + pid() + ").");
        }
        if (classpath == null) {
            classpath = BrokerClasspath.locate();
        }
        choosePorts();
        long deadline = System.nanoTime() + startTimeout.toNanos();
        try {
            Files.createDirectories(dataDir);
            if (secured && tls == null) {
                tls = BrokerCertificates.create(tlsDir(), storePassword);
            }
            BrokerServerProperties.write(serverProperties(), serverPropertiesFile());
            if (!isFormatted()) {
                formatStorage(deadline);
            }
            process = javaProcess(jvmArguments, BrokerProcessMain.class.getName(), serverPropertiesFile().toString()).start();
        } catch (IOException e) {
            throw new BrokerStartException("Could not launch the Kafka broker: " + e.getMessage() + logTailForMessage(), e);
        }
        awaitReady(deadline);
    }

    /** Stops the broker gracefully (SIGTERM), waiting up to 30 s before it is killed. Does nothing if it is not running. */
    public synchronized void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        // Through the ProcessHandle: Process.destroy() would also close the broker's standard input,
        // which BrokerProcessMain takes for a dead parent and halts, skipping the clean shutdown.
        running.toHandle().destroy();
        awaitExit(running);
        if (running.isAlive()) {
            running.toHandle().destroyForcibly();
            awaitExit(running);
        }
        closeStandardInput(running);
    }

    /** Kills the broker at once (SIGKILL), as a crash would: nothing is flushed or deregistered. */
    public synchronized void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.toHandle().destroyForcibly();
        awaitExit(running);
        closeStandardInput(running);
    }

    /** {@link #stop()} then {@link #start()}: same port, same data. */
    public synchronized void restart() {
        stop();
        start();
    }

    public boolean isRunning() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /** {@code 127.0.0.1:<port>}, the value for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        int port = this.port;
        if (port == 0) {
            throw new IllegalStateException("The broker has no port yet: call start() first, or choose one with builder().port(...).");
        }
        return "127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:<port>} of one of a secured broker's listeners. */
    public String bootstrapServers(SecuredListener listener) {
        requireSecured();
        Integer securedPort = securedPorts.get(listener);
        if (securedPort == null) {
            throw new IllegalStateException("The broker has no port yet: call start() first.");
        }
        return "127.0.0.1:" + securedPort;
    }

    /** The CA, stores and passwords of a secured broker, made at its first start. */
    public BrokerTls tls() {
        requireSecured();
        BrokerTls made = tls;
        if (made == null) {
            throw new IllegalStateException("The TLS material is made at the first start(): call start() first.");
        }
        return made;
    }

    /**
     * What a client needs for a TLS listener: bootstrap servers, security protocol, the PKCS12 truststore of the
     * broker's CA and, for {@link SecuredListener#MUTUAL_TLS}, the client keystore. For {@link SecuredListener#SASL_SSL}
     * add a user with {@link #clientProperties(SaslUser)}.
     */
    public Map<String, Object> clientProperties(SecuredListener listener) {
        BrokerTls material = tls();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(listener));
        properties.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, listener.securityProtocol());
        properties.put("ssl.truststore.location", material.truststore().toString());
        properties.put("ssl.truststore.password", material.storePassword());
        properties.put("ssl.truststore.type", BrokerTls.STORE_TYPE);
        if (listener == SecuredListener.MUTUAL_TLS) {
            properties.put("ssl.keystore.location", material.clientKeystore().toString());
            properties.put("ssl.keystore.password", material.storePassword());
            properties.put("ssl.keystore.type", BrokerTls.STORE_TYPE);
        }
        return properties;
    }

    /** {@link #clientProperties(SecuredListener) clientProperties(SASL_SSL)} with this user's mechanism and JAAS login. */
    public Map<String, Object> clientProperties(SaslUser user) {
        Map<String, Object> properties = clientProperties(SecuredListener.SASL_SSL);
        properties.put("sasl.mechanism", user.mechanism());
        properties.put("sasl.jaas.config", user.jaasConfig());
        return properties;
    }

    /** The users given to the builder, for tests that log in as them. */
    public List<SaslUser> saslUsers() {
        return saslUsers;
    }

    /** Properties every client of the plaintext listener needs; today only {@code bootstrap.servers}. */
    public Map<String, Object> clientProperties() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    /** The process id of the broker started last. */
    public long pid() {
        Process running = process;
        if (running == null) {
            throw new IllegalStateException("The broker was never started.");
        }
        return running.pid();
    }

    /** Where the broker's standard output and error go: {@code <dataDir>/broker.log}, appended across restarts. */
    public Path logFile() {
        return dataDir.resolve("broker.log");
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The effective {@code server.properties}: the defaults with the builder's overrides applied. */
    public synchronized Map<String, String> serverProperties() {
        choosePorts();
        Map<String, String> properties = BrokerServerProperties.defaults(port, controllerPort, logDir());
        if (secured) {
            BrokerServerProperties.addSecuredListeners(properties, securedPorts, tlsDir(), storePassword, saslUsers);
        }
        properties.putAll(serverPropertyOverrides);
        return properties;
    }

    /**
     * Creates a topic with one replica and waits until every partition has a leader. Does nothing
     * when the topic already exists with this partition count.
     *
     * @throws IllegalStateException when the topic exists with another partition count
     */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * {@link #createTopic(String, int)} with topic-level settings, e.g. {@code max.message.bytes=10000} for a topic
     * that refuses larger record batches than the broker's {@code message.max.bytes}.
     */
    public void createTopic(String name, int partitions, Map<String, String> config) {
        try (Admin admin = Admin.create(adminProperties(ADMIN_OPERATION_TIMEOUT))) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config))).all()
                        .get(ADMIN_OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause(), e.getCause());
                }
            }
            awaitLeaders(admin, name, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Topic " + name + " was not created within " + ADMIN_OPERATION_TIMEOUT, e);
        }
    }

    /** Stops the broker and deletes the data dir if this instance created it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
    }

    @Override
    public String toString() {
        return "LocalKafkaBroker[" + (port == 0 ? "no port yet" : bootstrapServers()) + ", " + (isRunning() ? "running" : "stopped")
                + ", dataDir=" + dataDir + "]";
    }

    private void choosePorts() {
        if (port == 0) {
            port = LoopbackPort.free();
        }
        while (controllerPort == 0 || controllerPort == port) {
            controllerPort = LoopbackPort.free();
        }
        if (secured) {
            for (SecuredListener listener : SecuredListener.values()) {
                while (!securedPorts.containsKey(listener)) {
                    int candidate = LoopbackPort.free();
                    if (candidate != port && candidate != controllerPort && !securedPorts.containsValue(candidate)) {
                        securedPorts.put(listener, candidate);
                    }
                }
            }
        }
    }

    private Path logDir() {
        return dataDir.resolve("kraft-combined-logs");
    }

    private Path tlsDir() {
        return dataDir.resolve("tls");
    }

    private void requireSecured() {
        if (!secured) {
            throw new IllegalStateException("This broker is not secured: build it with builder().secured() or a SASL user.");
        }
    }

    private Path serverPropertiesFile() {
        return dataDir.resolve("server.properties");
    }

    /** Kafka writes meta.properties into every log dir it formats; the first one is where metadata lives. */
    private boolean isFormatted() {
        String logDirs = serverProperties().get("log.dirs");
        return Files.exists(Path.of(logDirs.split(",")[0].trim()).resolve("meta.properties"));
    }

    /** What {@code kafka-storage.sh format -t <random cluster id> -c server.properties} does. */
    private void formatStorage(long deadline) throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        // A short-lived tool: the client compiler and a small heap start it fastest.
        List<String> toolJvm = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        List<String> arguments = new ArrayList<>(List.of("format", "-t", clusterId, "-c", serverPropertiesFile().toString()));
        for (SaslUser user : saslUsers) {
            if (user.mechanism().startsWith("SCRAM")) {
                arguments.add("--add-scram");
                arguments.add(user.mechanism() + "=[name=" + user.name() + ",password=" + user.password() + "]");
            }
        }
        Process format = javaProcess(toolJvm, "kafka.tools.StorageTool", arguments.toArray(String[]::new)).start();
        try {
            boolean exited = format.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!exited) {
                format.destroyForcibly();
                throw new BrokerStartException("Formatting the broker's storage took longer than the start timeout " + startTimeout
                        + logTailForMessage());
            }
            if (format.exitValue() != 0) {
                throw new BrokerStartException("Formatting the broker's storage in " + logDir() + " failed with exit status "
                        + format.exitValue() + logTailForMessage());
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BrokerStartException("Interrupted while formatting the broker's storage", e);
        } finally {
            closeStandardInput(format);
        }
    }

    /**
     * A child JVM on the broker classpath, output appended to the log file. Its standard input stays
     * the default pipe, held open by this JVM: {@link BrokerProcessMain} halts when it closes.
     */
    private ProcessBuilder javaProcess(List<String> jvmOptions, String mainClass, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(BrokerClasspath.javaBinary().toString());
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=io/eventfn/kafka/local/broker-log4j2.properties");
        if (Runtime.version().feature() >= 24) {
            // Kafka unmaps index files through sun.misc.Unsafe; JDK 24+ warns on stderr at every broker start otherwise.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath.asClasspathArgument());
        command.add(mainClass);
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    }

    private void awaitReady(long deadline) {
        try {
            awaitListening(deadline);
            try (Admin admin = Admin.create(adminProperties(PROBE_TIMEOUT))) {
                Exception lastFailure = null;
                while (System.nanoTime() < deadline) {
                    failIfExited();
                    try {
                        admin.describeCluster().nodes().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                        admin.listTopics().names().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                        return;
                    } catch (ExecutionException | TimeoutException e) {
                        lastFailure = e;
                        // Not an idle wait: returns early, and the next failIfExited reports it, if the broker exits.
                        process.waitFor(100, TimeUnit.MILLISECONDS);
                    }
                }
                throw new BrokerStartException("The Kafka broker on " + bootstrapServers() + " did not answer metadata requests within "
                        + startTimeout + " (last error: " + lastFailure + ")" + logTailForMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyAfterFailedStart();
            throw new BrokerStartException("Interrupted while waiting for the Kafka broker to start", e);
        } catch (BrokerStartException e) {
            destroyAfterFailedStart();
            throw e;
        }
    }

    /** Waits for the listener's port to accept connections, so the admin client does not log a warning per refused connection. */
    private void awaitListening(long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            failIfExited();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LoopbackPort.LOOPBACK, port), 500);
                return;
            } catch (IOException notYet) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new BrokerStartException("The Kafka broker did not listen on " + bootstrapServers() + " within " + startTimeout
                + logTailForMessage());
    }

    private void failIfExited() {
        if (!process.isAlive()) {
            throw new BrokerStartException("The Kafka broker exited with status " + process.exitValue() + " while starting"
                    + logTailForMessage());
        }
    }

    private void destroyAfterFailedStart() {
        Process failed = process;
        if (failed != null) {
            failed.toHandle().destroyForcibly();
            awaitExit(failed);
            closeStandardInput(failed);
        }
    }

    private static void awaitExit(Process running) {
        try {
            running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitLeaders(Admin admin, String topic, int partitions) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_OPERATION_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                        .get(ADMIN_OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                if (description.partitions().size() != partitions) {
                    throw new IllegalStateException("Topic " + topic + " already exists with " + description.partitions().size()
                            + " partitions, not " + partitions + ". Delete it or ask for " + description.partitions().size() + ".");
                }
                if (description.partitions().stream().map(TopicPartitionInfo::leader).allMatch(Objects::nonNull)) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topic " + topic + ": " + e.getCause(), e.getCause());
                }
            }
            // The broker applies the controller's metadata a moment after the topic is created.
            Thread.sleep(20);
        }
        throw new TimeoutException("Partitions of " + topic + " had no leader within " + ADMIN_OPERATION_TIMEOUT);
    }

    private Map<String, Object> adminProperties(Duration apiTimeout) {
        Map<String, Object> properties = new LinkedHashMap<>(clientProperties());
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-admin");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) apiTimeout.toMillis());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) apiTimeout.toMillis());
        properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        properties.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200);
        return properties;
    }

    private String logTailForMessage() {
        String errors = LogTail.errors(logFile(), LOG_ERRORS_ON_FAILURE);
        return (errors.isEmpty() ? "" : System.lineSeparator() + "Errors in " + logFile() + ":" + System.lineSeparator() + errors)
                + System.lineSeparator() + "Last lines of " + logFile() + ":" + System.lineSeparator()
                + LogTail.of(logFile(), LOG_LINES_ON_FAILURE);
    }

    /** Only once the process is gone: closing this pipe earlier is how a broker is told that its parent died. */
    private static void closeStandardInput(Process exited) {
        if (exited.isAlive()) {
            return;
        }
        try {
            exited.getOutputStream().close();
        } catch (IOException ignored) {
            // The pipe is gone with the process; nothing to release.
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("local-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary data dir for the Kafka broker", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the broker's data dir " + dir, e);
        }
    }

    /** Settings of a {@link LocalKafkaBroker}; every one has a default that suits tests. */
    public static final class Builder {

        private Path dataDir;
        private int port;
        private int controllerPort;
        private final Map<String, String> serverProperties = new LinkedHashMap<>();
        private final List<String> jvmArguments = new ArrayList<>(List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError"));
        private Duration startTimeout = Duration.ofSeconds(60);
        private boolean secured;
        private final List<SaslUser> saslUsers = new ArrayList<>();
        private String storePassword;

        private Builder() {
        }

        /**
         * Adds the TLS listeners of {@link SecuredListener} (SASL_SSL, SSL, mutual TLS, wrong hostname), each on its
         * own port, with a CA and certificates made at the first start; see {@link LocalKafkaBroker#tls()}. The
         * plaintext and controller listeners stay, for the broker's own use.
         */
        public Builder secured() {
            this.secured = true;
            return this;
        }

        /** A SCRAM user ({@code SCRAM-SHA-512} or {@code SCRAM-SHA-256}), created when the storage is formatted. Implies {@link #secured()}. */
        public Builder scramUser(String name, String password, String mechanism) {
            if (!mechanism.startsWith("SCRAM-")) {
                throw new IllegalArgumentException("scramUser takes SCRAM-SHA-512 or SCRAM-SHA-256, not " + mechanism);
            }
            saslUsers.add(new SaslUser(name, password, mechanism));
            return secured();
        }

        /** A PLAIN user, in the SASL_SSL listener's JAAS configuration. Implies {@link #secured()}. */
        public Builder plainUser(String name, String password) {
            saslUsers.add(new SaslUser(name, password, "PLAIN"));
            return secured();
        }

        /** The password of every keystore and truststore a secured broker makes. Default: random. */
        public Builder storePassword(String password) {
            this.storePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Where the broker keeps its data, configuration and log. Default: a new temp dir that {@link #close()} deletes. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** The PLAINTEXT listener's port on 127.0.0.1. Default: a port that is free at the first start. */
        public Builder port(int port) {
            this.port = requirePort(port, "port");
            return this;
        }

        /** The CONTROLLER listener's port on 127.0.0.1. Default: a port that is free at the first start. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = requirePort(controllerPort, "controllerPort");
            return this;
        }

        /** Sets or overrides one {@code server.properties} entry, e.g. {@code group.initial.rebalance.delay.ms=3000}. */
        public Builder serverProperty(String key, String value) {
            serverProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value of " + key));
            return this;
        }

        public Builder serverProperties(Map<String, String> properties) {
            properties.forEach(this::serverProperty);
            return this;
        }

        /**
         * The session timeout and heartbeat interval of the consumer group protocol (KIP-848) for every group on this
         * broker: {@code group.consumer.session.timeout.ms} and {@code group.consumer.heartbeat.interval.ms}, with
         * their {@code min}/{@code max} bounds widened to allow them. With that protocol these are the broker's, not
         * the client's. Kafka's defaults, 45 s and 5 s with minimums of 45 s and 5 s, make a test that kills a member
         * wait 45 s before its partitions move, and every member learn of a rebalance up to 5 s late.
         *
         * @throws IllegalArgumentException unless 0 < heartbeatInterval < sessionTimeout, both in whole milliseconds
         *                                  that fit an int (the broker refuses to start otherwise)
         */
        public Builder consumerGroupTimings(Duration sessionTimeout, Duration heartbeatInterval) {
            int session = milliseconds(sessionTimeout, "sessionTimeout");
            int heartbeat = milliseconds(heartbeatInterval, "heartbeatInterval");
            if (heartbeat >= session) {
                throw new IllegalArgumentException("heartbeatInterval (" + heartbeatInterval + ") must be shorter than"
                        + " sessionTimeout (" + sessionTimeout + "): Kafka requires"
                        + " group.consumer.heartbeat.interval.ms < group.consumer.session.timeout.ms");
            }
            serverProperty("group.consumer.session.timeout.ms", Integer.toString(session));
            serverProperty("group.consumer.min.session.timeout.ms",
                    Integer.toString(Math.min(session, KAFKA_MIN_SESSION_TIMEOUT_MS)));
            serverProperty("group.consumer.max.session.timeout.ms",
                    Integer.toString(Math.max(session, KAFKA_MAX_SESSION_TIMEOUT_MS)));
            serverProperty("group.consumer.heartbeat.interval.ms", Integer.toString(heartbeat));
            serverProperty("group.consumer.min.heartbeat.interval.ms",
                    Integer.toString(Math.min(heartbeat, KAFKA_MIN_HEARTBEAT_INTERVAL_MS)));
            serverProperty("group.consumer.max.heartbeat.interval.ms",
                    Integer.toString(Math.max(heartbeat, KAFKA_MAX_HEARTBEAT_INTERVAL_MS)));
            return this;
        }

        /** The broker JVM's maximum heap, as for {@code -Xmx}: {@code "512m"}, {@code "2g"}. Default {@code 1g}. */
        public Builder maxHeap(String size) {
            if (!size.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("maxHeap must look like 512m or 2g, not '" + size + "'");
            }
            jvmArguments.removeIf(argument -> argument.startsWith("-Xmx"));
            jvmArguments.add(0, "-Xmx" + size);
            return this;
        }

        /** An extra option for the broker JVM, e.g. {@code -Djava.security.auth.login.config=...}. */
        public Builder jvmArgument(String argument) {
            jvmArguments.add(Objects.requireNonNull(argument, "argument"));
            return this;
        }

        /** How long {@link #start()} waits for the broker to answer. Default 60 s. */
        public Builder startTimeout(Duration startTimeout) {
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, not " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return this;
        }

        public LocalKafkaBroker build() {
            return new LocalKafkaBroker(this);
        }

        /** Kafka 4.1's defaults of the bounds (GroupCoordinatorConfig), kept where they already allow the values. */
        private static final int KAFKA_MIN_SESSION_TIMEOUT_MS = 45_000;
        private static final int KAFKA_MAX_SESSION_TIMEOUT_MS = 60_000;
        private static final int KAFKA_MIN_HEARTBEAT_INTERVAL_MS = 5_000;
        private static final int KAFKA_MAX_HEARTBEAT_INTERVAL_MS = 15_000;

        private static int milliseconds(Duration duration, String name) {
            if (duration.isNegative() || duration.isZero() || duration.toMillis() > Integer.MAX_VALUE
                    || duration.toNanos() % 1_000_000 != 0) {
                throw new IllegalArgumentException(name + " must be a positive whole number of milliseconds up to "
                        + Integer.MAX_VALUE + ", not " + duration);
            }
            return (int) duration.toMillis();
        }

        private static int requirePort(int port, String name) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(name + " must be between 1 and 65535, not " + port);
            }
            return port;
        }
    }
}
