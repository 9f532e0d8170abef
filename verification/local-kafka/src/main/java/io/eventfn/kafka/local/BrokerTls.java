package io.eventfn.kafka.local;

import java.nio.file.Path;

/**
 * The TLS material a secured {@link LocalKafkaBroker} made at its first start, in {@code <dataDir>/tls}: a private
 * CA, the broker's certificate for {@code localhost}/{@code 127.0.0.1}, a client certificate for mutual TLS, and for
 * negative tests a second CA that signed nothing the broker shows. All stores are PKCS12 with one password; the CA
 * certificates are also written as PEM. Valid for two days from the start; nothing is checked in.
 */
public record BrokerTls(
        Path truststore,
        Path caCertificatePem,
        Path clientKeystore,
        Path untrustedTruststore,
        Path untrustedCaCertificatePem,
        Path brokerKeystore,
        Path wrongHostnameKeystore,
        String storePassword) {

    public static final String STORE_TYPE = "PKCS12";

    @Override
    public String toString() {
        return "BrokerTls[" + truststore.getParent() + "]";
    }
}
