package io.portcullis.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads /proc: a process's peak resident set (VmHWM) and CPU ticks, and the machine's CPU ticks. */
final class ProcFs {
  private ProcFs() {}

  /** A line of /proc/PID/status such as {@code VmHWM:  123456 kB}, in KiB; -1 if unreadable. */
  static long statusKiB(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** utime + stime + cutime + cstime of a process, in clock ticks; 0 if it is gone. */
  static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** {busy, total} ticks of all CPUs together, from the first line of /proc/stat. */
  static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** The pid and its descendants (nginx's workers, the JVMs' helpers) as they are now. */
  static List<Long> withDescendants(long pid) {
    List<Long> pids = new ArrayList<>();
    ProcessHandle.of(pid).ifPresent(p -> {
      pids.add(p.pid());
      p.descendants().forEach(d -> pids.add(d.pid()));
    });
    return pids;
  }
}
