package io.eventfn.kafka.local;

/**
 * The listeners a secured {@link LocalKafkaBroker} opens beside its plaintext one, each on its own port on
 * 127.0.0.1. The plaintext listener stays for the broker's own use (inter-broker traffic, topic creation).
 */
public enum SecuredListener {
    /** TLS with SASL authentication: SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN. */
    SASL_SSL("SASL_SSL", "SASL_SSL"),
    /** TLS, no client certificate asked for. */
    SSL("SSL", "SSL"),
    /** TLS with {@code ssl.client.auth=required}: the client must show a certificate signed by the broker's CA. */
    MUTUAL_TLS("MTLS", "SSL"),
    /** TLS with a certificate the trusted CA signed for {@code wrong-hostname.invalid}: hostname verification must fail. */
    WRONG_HOSTNAME("WRONGHOST", "SSL");

    private final String listenerName;
    private final String securityProtocol;

    SecuredListener(String listenerName, String securityProtocol) {
        this.listenerName = listenerName;
        this.securityProtocol = securityProtocol;
    }

    /** The name in {@code listeners} and {@code listener.name.<name>.*} settings. */
    public String listenerName() {
        return listenerName;
    }

    /** What a client sets as {@code security.protocol}. */
    public String securityProtocol() {
        return securityProtocol;
    }
}
