package io.eventfn.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SecuredBrokerTest {

    @RegisterExtension
    static final LocalKafkaBrokerExtension KAFKA = LocalKafkaBrokerExtension.with(builder -> builder
            .scramUser("alice", "alice-secret", "SCRAM-SHA-512")
            .scramUser("sam", "sam-secret", "SCRAM-SHA-256")
            .plainUser("paul", "pl\"ain\\pass word")
            .maxHeap("384m"));

    @Test
    void acceptsEveryConfiguredSaslUserOverTls() throws Exception {
        for (SaslUser user : KAFKA.broker().saslUsers()) {
            assertThat(clusterId(KAFKA.broker().clientProperties(user))).as(user.toString()).isNotBlank();
        }
    }

    @Test
    void acceptsTlsClientsAndMutualTlsWithTheClientCertificate() throws Exception {
        assertThat(clusterId(KAFKA.broker().clientProperties(SecuredListener.SSL))).isNotBlank();
        assertThat(clusterId(KAFKA.broker().clientProperties(SecuredListener.MUTUAL_TLS))).isNotBlank();
        Map<String, Object> pem = KAFKA.broker().clientProperties(SecuredListener.SSL);
        pem.put("ssl.truststore.type", "PEM");
        pem.put("ssl.truststore.location", KAFKA.broker().tls().caCertificatePem().toString());
        pem.remove("ssl.truststore.password");
        assertThat(clusterId(pem)).isNotBlank();
    }

    @Test
    void rejectsAWrongPassword() {
        SaslUser alice = KAFKA.broker().saslUsers().get(0);
        Map<String, Object> wrong = KAFKA.broker().clientProperties(new SaslUser(alice.name(), "not-it", alice.mechanism()));
        assertThatThrownBy(() -> clusterId(wrong)).hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void failsHandshakesWithAnUntrustedCaAHostnameMismatchAndNoClientCertificate() {
        Map<String, Object> untrusted = KAFKA.broker().clientProperties(SecuredListener.SSL);
        untrusted.put("ssl.truststore.location", KAFKA.broker().tls().untrustedTruststore().toString());
        assertThatThrownBy(() -> clusterId(untrusted)).hasCauseInstanceOf(SslAuthenticationException.class);
        assertThatThrownBy(() -> clusterId(KAFKA.broker().clientProperties(SecuredListener.WRONG_HOSTNAME)))
                .hasCauseInstanceOf(SslAuthenticationException.class);
        Map<String, Object> noClientCertificate = KAFKA.broker().clientProperties(SecuredListener.SSL);
        noClientCertificate.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.broker().bootstrapServers(SecuredListener.MUTUAL_TLS));
        assertThatThrownBy(() -> clusterId(noClientCertificate)).isInstanceOf(ExecutionException.class);
    }

    private static String clusterId(Map<String, Object> clientProperties) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(clientProperties);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(properties)) {
            return admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
        }
    }
}
