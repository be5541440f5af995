package io.portcullis.attest.cli;

import io.portcullis.attest.keys.CosignKeyPair;
import io.portcullis.attest.keys.SimpleSigningSigner;
import io.portcullis.attest.registry.ImageReference;
import io.portcullis.attest.registry.RegistryClient;
import io.portcullis.attest.registry.SignaturePusher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis sign}: pushes a cosign-compatible simple-signing signature for a manifest digest. */
@Command(name = "sign", mixinStandardHelpOptions = true,
    description = "Sign REGISTRY/REPO@DIGEST with a cosign key and push the signature (cosign tag scheme, or --referrer for OCI 1.1).")
public final class SignCommand implements Callable<Integer> {
  @Option(names = "--key", required = true, paramLabel = "P.key", description = "Encrypted cosign private key.")
  Path key;

  @Option(names = "--referrer", description = "Push as an OCI 1.1 referrer (subject) instead of the sha256-<hex>.sig tag.")
  boolean referrer;

  @Option(names = "--insecure", description = "Plain HTTP.")
  boolean insecure;

  @Parameters(paramLabel = "REGISTRY/REPO@DIGEST")
  String reference;

  @Spec
  CommandSpec spec;

  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    ImageReference ref;
    try {
      ref = ImageReference.parse(reference);
    } catch (IllegalArgumentException e) {
      err.println("sign: " + e.getMessage());
      return 2;
    }
    CosignKeyPair kp;
    try {
      kp = CosignKeyPair.decrypt(Files.readString(key), PasswordSource.read(env, "Enter password for private key: ", false));
    } catch (Exception e) {
      err.println("sign: cannot use key " + key + ": " + e.getMessage());
      return 2;
    }
    RegistryClient client = new RegistryClient(ref.registry(), insecure);
    String digest;
    String mediaType;
    long size;
    if (ref.digest() != null) {
      // By digest, a HEAD is enough: the digest is what gets signed, and a gated registry answers it
      // even while it denies pulling the (not yet signed) content.
      var head = client.headManifest(ref.repository(), ref.digest());
      if (head.isEmpty()) {
        err.println("sign: " + ref + " not found");
        return 1;
      }
      if (!ref.digest().equals(head.get().digest())) {
        err.println("sign: registry answered for digest " + head.get().digest() + ", not " + ref.digest());
        return 1;
      }
      digest = ref.digest();
      mediaType = head.get().mediaType();
      size = head.get().size();
    } else {
      var subject = client.fetchManifest(ref.repository(), ref.reference());
      if (subject.isEmpty()) {
        err.println("sign: " + ref + " not found");
        return 1;
      }
      digest = subject.get().digest();
      mediaType = mediaTypeOf(subject.get());
      size = subject.get().bytes().length;
      err.println("sign: signing " + ref.name() + "@" + digest + " (resolved from tag " + ref.tag() + "; sign by digest to be sure)");
    }
    var signed = SimpleSigningSigner.sign(kp.privateKey(), ref.name(), digest);
    String sigDigest = referrer
        ? SignaturePusher.pushReferrer(client, ref.repository(), digest, mediaType, size, signed)
        : SignaturePusher.pushTagged(client, ref.repository(), digest, signed);
    spec.commandLine().getOut().println(ref.name() + "@" + sigDigest);
    return 0;
  }

  private static String mediaTypeOf(RegistryClient.Manifest m) {
    String t = m.mediaType();
    if (t != null && !t.isBlank()) {
      return t.split(";")[0].trim();
    }
    return "application/vnd.oci.image.manifest.v1+json";
  }
}
