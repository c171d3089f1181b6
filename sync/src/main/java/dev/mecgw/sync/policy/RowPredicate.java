package dev.mecgw.sync.policy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parsed form of a row filter. {@link #eval} follows SQL's three-valued logic: {@code null} stands for
 * "unknown" (a comparison with a NULL column), and only {@code TRUE} lets a row through, as in a PostgreSQL
 * publication's {@code WHERE}.
 */
sealed interface RowPredicate {

    /** @return TRUE, FALSE, or null for unknown */
    Boolean eval(Map<String, Object> row);

    /** @return the predicate as PostgreSQL SQL with quoted identifiers and escaped literals */
    String sql();

    /** Adds the columns the predicate reads. */
    void columns(Set<String> into);

    record Or(RowPredicate left, RowPredicate right) implements RowPredicate {
        @Override
        public Boolean eval(Map<String, Object> row) {
            Boolean l = left.eval(row);
            if (Boolean.TRUE.equals(l)) {
                return true;
            }
            Boolean r = right.eval(row);
            return Boolean.TRUE.equals(r) ? Boolean.TRUE : l == null || r == null ? null : Boolean.FALSE;
        }

        @Override
        public String sql() {
            return "(" + left.sql() + " OR " + right.sql() + ")";
        }

        @Override
        public void columns(Set<String> into) {
            left.columns(into);
            right.columns(into);
        }
    }

    record And(RowPredicate left, RowPredicate right) implements RowPredicate {
        @Override
        public Boolean eval(Map<String, Object> row) {
            Boolean l = left.eval(row);
            if (Boolean.FALSE.equals(l)) {
                return false;
            }
            Boolean r = right.eval(row);
            return Boolean.FALSE.equals(r) ? Boolean.FALSE : l == null || r == null ? null : Boolean.TRUE;
        }

        @Override
        public String sql() {
            return "(" + left.sql() + " AND " + right.sql() + ")";
        }

        @Override
        public void columns(Set<String> into) {
            left.columns(into);
            right.columns(into);
        }
    }

    record Not(RowPredicate inner) implements RowPredicate {
        @Override
        public Boolean eval(Map<String, Object> row) {
            Boolean value = inner.eval(row);
            return value == null ? null : !value;
        }

        @Override
        public String sql() {
            return "(NOT " + inner.sql() + ")";
        }

        @Override
        public void columns(Set<String> into) {
            inner.columns(into);
        }
    }

    record IsNull(String column, boolean negated) implements RowPredicate {
        @Override
        public Boolean eval(Map<String, Object> row) {
            return (row.get(column) == null) != negated;
        }

        @Override
        public String sql() {
            return quote(column) + (negated ? " IS NOT NULL" : " IS NULL");
        }

        @Override
        public void columns(Set<String> into) {
            into.add(column);
        }
    }

    /** {@code column op literal}; op is one of {@code = <> < <= > >=}. */
    record Compare(String column, String op, Object literal) implements RowPredicate {
        @Override
        public Boolean eval(Map<String, Object> row) {
            Integer order = compare(row.get(column), literal);
            if (order == null) {
                return null;
            }
            return switch (op) {
                case "=" -> order == 0;
                case "<>" -> order != 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                default -> order >= 0;
            };
        }

        @Override
        public String sql() {
            return quote(column) + " " + op + " " + RowPredicate.literal(literal);
        }

        @Override
        public void columns(Set<String> into) {
            into.add(column);
        }
    }

    record In(String column, List<Object> literals, boolean negated) implements RowPredicate {
        @Override
        public Boolean eval(Map<String, Object> row) {
            boolean unknown = false;
            for (Object literal : literals) {
                Integer order = compare(row.get(column), literal);
                if (order == null) {
                    unknown = true;
                } else if (order == 0) {
                    return !negated;
                }
            }
            return unknown ? null : negated;
        }

        @Override
        public String sql() {
            return quote(column) + (negated ? " NOT IN (" : " IN (")
                    + literals.stream().map(RowPredicate::literal).collect(Collectors.joining(", ")) + ")";
        }

        @Override
        public void columns(Set<String> into) {
            into.add(column);
        }
    }

    /**
     * Numbers compare numerically (a quoted literal against a numeric column too, as PostgreSQL casts it), booleans
     * as booleans, everything else as text (timestamps as their ISO-8601 UTC text).
     *
     * @return the sign of value minus literal, or null when the value is NULL or the two cannot be compared
     */
    static Integer compare(Object value, Object literal) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            BigDecimal left = decimal(number.toString());
            BigDecimal right = literal instanceof BigDecimal decimal ? decimal : decimal(literal.toString());
            return left == null || right == null ? null : left.compareTo(right);
        }
        if (value instanceof Boolean bool) {
            return literal instanceof Boolean other ? Boolean.compare(bool, other) : null;
        }
        String text = value.toString();
        String other = literal instanceof BigDecimal decimal ? decimal.toPlainString() : literal.toString();
        return Integer.signum(text.compareTo(other));
    }

    private static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String quote(String column) {
        return "\"" + column.replace("\"", "\"\"") + "\"";
    }

    static String literal(Object literal) {
        if (literal instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (literal instanceof Boolean bool) {
            return bool ? "TRUE" : "FALSE";
        }
        return "'" + literal.toString().replace("'", "''") + "'";
    }
}
