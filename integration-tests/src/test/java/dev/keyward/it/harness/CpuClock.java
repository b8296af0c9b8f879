package dev.keyward.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time as Linux accounts it, read from {@code /proc}: a process's user + system time
 * ({@code /proc/<pid>/stat}, fields 14 and 15, in clock ticks) and the whole machine's busy and
 * total time ({@code /proc/stat}, first line). Clock ticks per second come from
 * {@code getconf CLK_TCK} (100 on Linux/x86 and arm64; the command is asked once, not assumed).
 */
public final class CpuClock {
    private final long ticksPerSecond;

    public CpuClock() {
        this.ticksPerSecond = clockTicksPerSecond();
    }

    /**
     * Clock ticks at one moment: of some processes (user and system time, all threads) and of the
     * whole machine (user + nice, system + irq + softirq, idle + iowait), for splitting a window's
     * CPU between processes and between user space and the kernel.
     */
    public record Snapshot(
            long[] processUser, long[] processSystem, long machineUser, long machineSystem, long machineIdle) {
        /** This snapshot minus an earlier one of the same processes: the window between them. */
        public Snapshot minus(Snapshot earlier) {
            long[] user = new long[processUser.length];
            long[] system = new long[processSystem.length];
            for (int i = 0; i < user.length; i++) {
                user[i] = processUser[i] - earlier.processUser[i];
                system[i] = processSystem[i] - earlier.processSystem[i];
            }
            return new Snapshot(
                    user,
                    system,
                    machineUser - earlier.machineUser,
                    machineSystem - earlier.machineSystem,
                    machineIdle - earlier.machineIdle);
        }
    }

    /** A {@link Snapshot} of these processes and of the machine. */
    public Snapshot snapshot(long... pids) {
        long[] user = new long[pids.length];
        long[] system = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            long[] ticks = userAndSystem(pids[i]);
            user[i] = ticks[0];
            system[i] = ticks[1];
        }
        String[] m = read(Path.of("/proc/stat"))
                .lines()
                .findFirst()
                .orElseThrow()
                .trim()
                .split("\\s+");
        // cpu user nice system idle iowait irq softirq steal
        return new Snapshot(
                user,
                system,
                Long.parseLong(m[1]) + Long.parseLong(m[2]),
                Long.parseLong(m[3]) + Long.parseLong(m[6]) + Long.parseLong(m[7]),
                Long.parseLong(m[4]) + Long.parseLong(m[5]));
    }

    long ticksPerSecond() {
        return ticksPerSecond;
    }

    public double ticksToMillis(long ticks) {
        return ticks * 1000.0 / ticksPerSecond;
    }

    /** utime + stime of one process (all its threads, not its children), in clock ticks. */
    long processTicks(long pid) {
        long[] ticks = userAndSystem(pid);
        return ticks[0] + ticks[1];
    }

    /** {utime, stime} of one process, in clock ticks. */
    private static long[] userAndSystem(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so field 14 (utime) is f[11] and field 15 (stime) f[12]
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    /**
     * utime + stime of a JVM's garbage-collector threads ({@code GC Thread#n}, {@code G1 ...}) and of
     * its JIT compiler threads ({@code C1/C2 CompilerThre...}), from {@code /proc/<pid>/task/<tid>/stat}:
     * {gc, jit} clock ticks. Threads that ended meanwhile are not counted; HotSpot keeps these.
     */
    long[] jvmServiceTicks(long pid) {
        long gc = 0;
        long jit = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
                    gc += ticks;
                } else if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                    jit += ticks;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing threads of " + pid, e);
        }
        return new long[] {gc, jit};
    }

    /** The machine, all cores: {busy, total} clock ticks since boot; busy excludes idle and iowait. */
    long[] machineTicks() {
        String first = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow();
        String[] f = first.trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal ...
        long total = 0;
        // guest and guest_nice (fields 9, 10) are already included in user and nice
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + p + " (the load benchmark needs Linux /proc)", e);
        }
    }

    private static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(out);
            }
            throw new IllegalStateException("getconf CLK_TCK: " + out);
        } catch (IOException e) {
            throw new UncheckedIOException("getconf CLK_TCK", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
