package io.portcullis.attest.cli;

import java.io.Console;
import java.util.Arrays;
import java.util.Map;

/** The key passphrase: environment variable {@code PORTCULLIS_PASSWORD}, else a prompt on the console. */
final class PasswordSource {
  static final String ENV = "PORTCULLIS_PASSWORD";

  private PasswordSource() {}

  /** @throws IllegalStateException when there is neither the variable nor a console */
  static char[] read(Map<String, String> env, String prompt, boolean confirm) {
    String fromEnv = env.get(ENV);
    if (fromEnv != null) {
      return fromEnv.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      throw new IllegalStateException("no console to prompt for a password; set " + ENV);
    }
    char[] pw = console.readPassword("%s", prompt);
    if (confirm) {
      char[] again = console.readPassword("Enter password for private key again: ");
      if (!Arrays.equals(pw, again)) {
        throw new IllegalStateException("passwords do not match");
      }
    }
    return pw;
  }
}
