package dev.mecgw.sync.policy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent parser for the row-filter subset of SQL:
 * <pre>
 * expr    := and ( OR and )*
 * and     := not ( AND not )*
 * not     := NOT not | '(' expr ')' | column test
 * test    := op literal | IS [NOT] NULL | [NOT] IN '(' literal ( ',' literal )* ')'
 * op      := = | &lt;&gt; | != | &lt; | &lt;= | &gt; | &gt;=
 * literal := 'text' | number | TRUE | FALSE
 * </pre>
 * Columns are plain lower-case identifiers or double-quoted ones. Anything else is refused with its position.
 */
final class RowFilterParser {

    private final String text;
    private int pos;

    private RowFilterParser(String text) {
        this.text = text;
    }

    static RowPredicate parse(String text) {
        RowFilterParser parser = new RowFilterParser(text);
        RowPredicate predicate = parser.or();
        parser.skipSpace();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected '" + text.substring(parser.pos) + "'");
        }
        return predicate;
    }

    private RowPredicate or() {
        RowPredicate left = and();
        while (keyword("OR")) {
            left = new RowPredicate.Or(left, and());
        }
        return left;
    }

    private RowPredicate and() {
        RowPredicate left = not();
        while (keyword("AND")) {
            left = new RowPredicate.And(left, not());
        }
        return left;
    }

    private RowPredicate not() {
        if (keyword("NOT")) {
            return new RowPredicate.Not(not());
        }
        if (symbol("(")) {
            RowPredicate inner = or();
            expect(")");
            return inner;
        }
        return test(column());
    }

    private RowPredicate test(String column) {
        if (keyword("IS")) {
            boolean negated = keyword("NOT");
            if (!keyword("NULL")) {
                throw error("expected NULL after IS");
            }
            return new RowPredicate.IsNull(column, negated);
        }
        boolean negated = keyword("NOT");
        if (keyword("IN")) {
            expect("(");
            List<Object> literals = new ArrayList<>();
            do {
                literals.add(literal());
            } while (symbol(","));
            expect(")");
            return new RowPredicate.In(column, literals, negated);
        }
        if (negated) {
            throw error("expected IN after NOT");
        }
        for (String op : new String[] {"<>", "!=", "<=", ">=", "=", "<", ">"}) {
            if (symbol(op)) {
                return new RowPredicate.Compare(column, "!=".equals(op) ? "<>" : op, literal());
            }
        }
        throw error("expected a comparison (=, <>, <, <=, >, >=, IS [NOT] NULL, [NOT] IN) after column " + column);
    }

    private String column() {
        skipSpace();
        if (symbol("\"")) {
            int end = text.indexOf('"', pos);
            if (end <= pos) {
                throw error("unterminated quoted column");
            }
            String name = text.substring(pos, end);
            pos = end + 1;
            return name;
        }
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        String word = text.substring(start, pos);
        if (word.isEmpty() || !word.matches("[a-z_][a-z0-9_]*")) {
            pos = start;
            throw error("expected a column name");
        }
        return word;
    }

    private Object literal() {
        skipSpace();
        if (symbol("'")) {
            StringBuilder value = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string literal");
                }
                char c = text.charAt(pos++);
                if (c == '\'' && pos < text.length() && text.charAt(pos) == '\'') {
                    value.append('\'');
                    pos++;
                } else if (c == '\'') {
                    return value.toString();
                } else {
                    value.append(c);
                }
            }
        }
        if (keyword("TRUE")) {
            return Boolean.TRUE;
        }
        if (keyword("FALSE")) {
            return Boolean.FALSE;
        }
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        try {
            return new BigDecimal(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("expected a literal ('text', a number, TRUE or FALSE)");
        }
    }

    private boolean keyword(String word) {
        skipSpace();
        int end = pos + word.length();
        if (end > text.length()
                || !text.substring(pos, end).toUpperCase(Locale.ROOT).equals(word)
                || end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            return false;
        }
        pos = end;
        return true;
    }

    private boolean symbol(String symbol) {
        skipSpace();
        if (text.startsWith(symbol, pos)) {
            pos += symbol.length();
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        if (!symbol(symbol)) {
            throw error("expected '" + symbol + "'");
        }
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at position " + (pos + 1));
    }
}
