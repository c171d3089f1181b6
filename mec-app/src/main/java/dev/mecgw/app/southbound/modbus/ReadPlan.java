package dev.mecgw.app.southbound.modbus;

import dev.mecgw.app.southbound.modbus.RegisterSpec.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which requests one poll sends: a device's metrics grouped by poll interval, and within a group, metrics of one table
 * whose coils or registers are contiguous batched into one read, up to the protocol's limit per request (125 registers,
 * 2000 coils: Modbus Application Protocol v1.1b3, 6.1–6.4).
 */
final class ReadPlan {

    static final int MAX_REGISTERS_PER_READ = 125;
    static final int MAX_BITS_PER_READ = 2_000;

    private ReadPlan() {}

    /** @return the blocks to read, per poll interval in milliseconds */
    static Map<Long, List<Block>> of(List<RegisterSpec> registers) {
        Map<Long, List<RegisterSpec>> byInterval = registers.stream()
                .collect(Collectors.groupingBy(RegisterSpec::pollMillis, TreeMap::new, Collectors.toList()));
        Map<Long, List<Block>> plan = new TreeMap<>();
        byInterval.forEach((interval, specs) -> plan.put(interval, blocks(specs)));
        return plan;
    }

    static List<Block> blocks(List<RegisterSpec> specs) {
        List<RegisterSpec> sorted = specs.stream()
                .sorted(Comparator.comparing(RegisterSpec::table).thenComparingInt(RegisterSpec::address))
                .toList();
        List<Block> blocks = new ArrayList<>();
        List<RegisterSpec> current = new ArrayList<>();
        for (RegisterSpec spec : sorted) {
            if (!current.isEmpty()) {
                RegisterSpec first = current.get(0);
                RegisterSpec last = current.get(current.size() - 1);
                int limit = first.table().bits() ? MAX_BITS_PER_READ : MAX_REGISTERS_PER_READ;
                boolean joins = last.table() == spec.table()
                        && spec.address() == last.end()
                        && spec.end() - first.address() <= limit;
                if (!joins) {
                    blocks.add(new Block(first.table(), first.address(), last.end() - first.address(), current));
                    current = new ArrayList<>();
                }
            }
            current.add(spec);
        }
        if (!current.isEmpty()) {
            RegisterSpec first = current.get(0);
            RegisterSpec last = current.get(current.size() - 1);
            blocks.add(new Block(first.table(), first.address(), last.end() - first.address(), current));
        }
        return blocks;
    }

    /**
     * One read request.
     *
     * @param table the table read
     * @param start the first address
     * @param count coils or registers read
     * @param specs the metrics in the block, by address
     */
    record Block(Table table, int start, int count, List<RegisterSpec> specs) {
        Block {
            specs = List.copyOf(specs);
        }
    }
}
