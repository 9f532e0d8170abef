package io.eventfn.kafka.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the CAs and certificates of a secured {@link LocalKafkaBroker} at test time, so nothing that expires is
 * checked in. EC P-256 keys: generated in milliseconds, accepted by every TLS 1.2/1.3 peer.
 */
final class BrokerCertificates {

    private static final Duration VALIDITY = Duration.ofDays(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private BrokerCertificates() {
    }

    static BrokerTls create(Path dir, String password) {
        try {
            Files.createDirectories(dir);
            Authority ca = Authority.create("CN=local-kafka test CA");
            Authority untrusted = Authority.create("CN=local-kafka untrusted CA");

            BrokerTls tls = new BrokerTls(dir.resolve("truststore.p12"), dir.resolve("ca.pem"), dir.resolve("client.p12"),
                    dir.resolve("untrusted-truststore.p12"), dir.resolve("untrusted-ca.pem"), dir.resolve("broker.p12"),
                    dir.resolve("wrong-hostname.p12"), password);
            writeTruststore(tls.truststore(), password, ca.certificate());
            writePem(tls.caCertificatePem(), ca.certificate());
            writeTruststore(tls.untrustedTruststore(), password, untrusted.certificate());
            writePem(tls.untrustedCaCertificatePem(), untrusted.certificate());
            writeKeystore(tls.brokerKeystore(), password, ca.issue("CN=localhost", true,
                    new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            writeKeystore(tls.wrongHostnameKeystore(), password, ca.issue("CN=wrong-hostname.invalid", true,
                    new GeneralName(GeneralName.dNSName, "wrong-hostname.invalid")));
            writeKeystore(tls.clientKeystore(), password, ca.issue("CN=local-kafka-client", false));
            return tls;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the broker's TLS material to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot make the broker's TLS certificates", e);
        }
    }

    private record Issued(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {
    }

    private record Authority(KeyPair keys, X509Certificate certificate) {

        static Authority create(String subject) throws GeneralSecurityException, OperatorCreationException, IOException {
            KeyPair keys = keyPair();
            X500Name name = new X500Name(subject);
            X509v3CertificateBuilder builder = builder(name, name, keys);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Authority(keys, sign(builder, keys.getPrivate()));
        }

        Issued issue(String subject, boolean server, GeneralName... alternativeNames)
                throws GeneralSecurityException, OperatorCreationException, IOException {
            KeyPair leaf = keyPair();
            X509v3CertificateBuilder builder = builder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                    new X500Name(subject), leaf);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
            if (alternativeNames.length > 0) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames));
            }
            return new Issued(leaf.getPrivate(), sign(builder, keys.getPrivate()), certificate);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256, RANDOM);
        return generator.generateKeyPair();
    }

    private static void writeTruststore(Path file, String password, X509Certificate ca) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(BrokerTls.STORE_TYPE);
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        save(store, file, password);
    }

    private static void writeKeystore(Path file, String password, Issued issued) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(BrokerTls.STORE_TYPE);
        store.load(null, null);
        store.setKeyEntry("key", issued.key(), password.toCharArray(), new Certificate[] {issued.certificate(), issued.issuer()});
        save(store, file, password);
    }

    private static void save(KeyStore store, Path file, String password) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }

    private static void writePem(Path file, X509Certificate certificate) throws GeneralSecurityException, IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded());
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
    }
}
