package dev.mecgw.app.console.overview;

/**
 * The appliance's resources as the Overview shows them.
 *
 * @param cpu the machine's CPU load, e.g. {@code 37 %}, or {@code unknown}
 * @param memory used of total physical memory, e.g. {@code 3.1 of 24.0 GiB (13 %)}
 * @param disk used of total on the data directory's file system
 * @param diskFull whether the data directory's file system is 90 % full or more
 */
public record HostSnapshot(String cpu, String memory, String disk, boolean diskFull) {}
