#!/usr/bin/env python3
"""Where a running gateway's resident memory goes (issue 22 item 4, docs/native.md "Memory").

Usage: bench/native/rss-breakdown.py <pid> [resource file...]

Prints, from /proc/<pid>/smaps and smaps_rollup: the RSS of each group of mappings (the executable's code, its
read-only and writable image heap, anonymous memory, [heap], [stack], each shared library), with the anonymous,
file-backed and private dirty parts. Each resource file named after the pid (e.g. postgres-linux-x86_64.txz, or
libonnxruntime.so as it sits in its jar) is looked up in the executable by its first bytes: native-image keeps
resources as byte arrays in the image heap, so a resource read at start shows as resident pages over its extent
(/proc/<pid>/pagemap, present bit; root or the process's owner). Not a test: it prints figures.
"""
import collections
import mmap
import os
import re
import struct
import sys

KIB = 1024
MIB = 1024 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")


def mappings(pid):
    """Yields one dict per mapping of /proc/<pid>/smaps: start, end, perms, offset, path and its kB fields."""
    current = None
    head = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) ([0-9a-f]+) \S+ \d+\s*(.*)$")
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            found = head.match(line)
            if found:
                if current:
                    yield current
                start, end, perms, offset, path = found.groups()
                current = {"start": int(start, 16), "end": int(end, 16), "perms": perms,
                           "offset": int(offset, 16), "path": path.strip()}
                continue
            key, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                current[key] = int(value.split()[0])
    if current:
        yield current


def group_of(mapping, exe):
    path = mapping["path"]
    if path == exe:
        if "x" in mapping["perms"]:
            return "executable: code (r-x)"
        if "w" in mapping["perms"]:
            return "executable: writable image heap (rw-)"
        return "executable: read-only (image heap, r--)"
    if path == "":
        return "anonymous (Java heap, stacks, malloc arenas)"
    if path.startswith("["):
        return path
    return os.path.basename(path)


def resident_pages(pid, start, end):
    """Number of pages of [start, end) that are present in the process (pagemap bit 63)."""
    count = 0
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        first, last = start // PAGE, (end + PAGE - 1) // PAGE
        pagemap.seek(first * 8)
        data = pagemap.read((last - first) * 8)
        for (entry,) in struct.iter_unpack("<Q", data):
            count += (entry >> 63) & 1
    return count


def resource_residency(pid, exe, exe_maps, resource):
    """(file offset in the executable, size, resident bytes) of a resource's bytes, or None if not in the image."""
    size = os.path.getsize(resource)
    with open(resource, "rb") as source:
        probe = source.read(min(size, 4096))
    with open(exe, "rb") as image, mmap.mmap(image.fileno(), 0, access=mmap.ACCESS_READ) as data:
        offset = data.find(probe)
    if offset < 0:
        return None
    resident = 0
    for m in exe_maps:
        lo = max(offset, m["offset"])
        hi = min(offset + size, m["offset"] + (m["end"] - m["start"]))
        if lo < hi:
            resident += resident_pages(pid, m["start"] + lo - m["offset"], m["start"] + hi - m["offset"]) * PAGE
    return offset, size, resident


def main():
    pid = int(sys.argv[1])
    exe = os.readlink(f"/proc/{pid}/exe")
    groups = collections.OrderedDict()
    all_maps = list(mappings(pid))
    for m in all_maps:
        g = groups.setdefault(group_of(m, exe), collections.Counter())
        g["Rss"] += m.get("Rss", 0)
        g["Anonymous"] += m.get("Anonymous", 0)
        g["Private_Dirty"] += m.get("Private_Dirty", 0)
        g["Shared_Clean"] += m.get("Shared_Clean", 0)
        g["Private_Clean"] += m.get("Private_Clean", 0)
        g["Size"] += m.get("Size", 0)
        g["mappings"] += 1
    total = sum(g["Rss"] for g in groups.values())
    print(f"pid {pid} ({exe}): RSS {total / KIB:.1f} MiB in {len(all_maps)} mappings")
    print(f"{'group':48s} {'RSS':>8s} {'anon':>8s} {'file':>8s} {'pr.dirty':>8s} {'mapped':>9s}  (MiB)")
    for name, g in sorted(groups.items(), key=lambda item: -item[1]["Rss"]):
        if g["Rss"] < 256 and not name.startswith("executable"):
            continue
        print(f"{name[:48]:48s} {g['Rss'] / KIB:8.1f} {g['Anonymous'] / KIB:8.1f} "
              f"{(g['Rss'] - g['Anonymous']) / KIB:8.1f} {g['Private_Dirty'] / KIB:8.1f} {g['Size'] / KIB:9.1f}")
    small = [g for n, g in groups.items() if g["Rss"] < 256 and not n.startswith("executable")]
    print(f"{'(' + str(len(small)) + ' smaller groups)':48s} {sum(g['Rss'] for g in small) / KIB:8.1f}")
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        wanted = ("Rss", "Pss", "Shared_Clean", "Private_Clean", "Private_Dirty", "Anonymous", "Swap")
        fields = {}
        for line in rollup:
            key, _, value = line.partition(":")
            if key in wanted:
                fields[key] = int(value.split()[0])
        print("smaps_rollup: " + ", ".join(f"{k} {fields[k] / KIB:.1f}" for k in wanted if k in fields) + " MiB")
    exe_maps = [m for m in all_maps if m["path"] == exe]
    for resource in sys.argv[2:]:
        found = resource_residency(pid, exe, exe_maps, resource)
        if found is None:
            print(f"resource {os.path.basename(resource)}: not in the executable")
            continue
        offset, size, resident = found
        print(f"resource {os.path.basename(resource)}: {size / MIB:.1f} MiB at file offset {offset:#x}, "
              f"{resident / MIB:.1f} MiB resident ({100 * resident / size:.0f} %)")


if __name__ == "__main__":
    main()
