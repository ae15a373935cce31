package io.ringcache.node.testing;

import io.ringcache.node.security.NodeTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate and its key as PEM files, made at test time so no key is ever
 * committed. The JDK's {@code keytool} makes a PKCS#12 store (the JDK has no public API that
 * signs certificates); the certificate and the PKCS#8 key are then written as PEM. The
 * certificate names {@code 127.0.0.1} and {@code localhost}, so host-name verification passes
 * for the test nodes.
 *
 * @param cert PEM certificate; also the trust bundle of anyone who should trust it
 * @param key PEM private key, PKCS#8
 */
public record TestCertificates(Path cert, Path key) {

  private static final char[] PASSWORD = "test-only".toCharArray();

  /** A fresh self-signed certificate named {@code name}, written under {@code dir}. */
  public static TestCertificates selfSigned(Path dir, String name) {
    Path store = dir.resolve(name + ".p12");
    keytool(List.of("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD);
      Certificate certificate = ks.getCertificate(name);
      PrivateKey privateKey = (PrivateKey) ks.getKey(name, PASSWORD);
      Path cert = dir.resolve(name + "-cert.pem");
      Path key = dir.resolve(name + "-key.pem");
      Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
      Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
      return new TestCertificates(cert, key);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the keystore keytool made: " + store, e);
    }
  }

  /** TLS for a node using this certificate, trusting it as the cluster's only CA. */
  public NodeTls nodeTls() {
    return NodeTls.of(cert, key, cert);
  }

  /** A JDK TLS context that trusts this certificate only, for {@code java.net.http}. */
  public SSLContext sslContext() {
    try (InputStream in = Files.newInputStream(cert)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("ca",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context trusting " + cert, e);
    }
  }

  private static String pem(String label, byte[] der) {
    Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    return "-----BEGIN " + label + "-----\n" + base64.encodeToString(der) + "\n-----END " + label
        + "-----\n";
  }

  private static void keytool(List<String> args) {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>();
    command.add(keytool.toString());
    command.addAll(args);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + keytool, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }
}
