package org.pupilflow.router.routing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the router's state values ({@link Holding}, {@link CensusRecordRouter.Deadline}) written by hand: the
 * bytes Jackson writes for them (component order, nulls written, strings escaped as Jackson escapes them; a test
 * compares the two), without its per-value machinery, which was a tenth of the router's time. They are read back
 * with Jackson.
 */
final class StateJson {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final StringBuilder json = new StringBuilder(256);
    private boolean first;

    private StateJson() {
    }

    static byte[] of(Holding holding) {
        StateJson out = new StateJson().begin();
        out.name("outstanding");
        out.map(holding.outstanding());
        out.name("latestId").string(holding.latestId());
        out.name("fingerprint").string(holding.fingerprint());
        out.name("fields");
        out.list(holding.fields());
        out.name("outcome").string(holding.outcome());
        out.name("returnId").string(holding.returnId());
        out.name("recordKey").string(holding.recordKey());
        out.name("retainUntil").string(holding.retainUntil());
        return out.end();
    }

    static byte[] of(CensusRecordRouter.Deadline deadline) {
        StateJson out = new StateJson().begin();
        out.name("recordKey").string(deadline.recordKey());
        out.name("returnId").string(deadline.returnId());
        out.name("retainUntil").string(deadline.retainUntil());
        return out.end();
    }

    private StateJson begin() {
        json.append('{');
        first = true;
        return this;
    }

    private byte[] end() {
        json.append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private StateJson name(String name) {
        if (!first) {
            json.append(',');
        }
        first = false;
        json.append('"').append(name).append("\":");
        return this;
    }

    private void map(Map<String, String> map) {
        if (map == null) {
            json.append("null");
            return;
        }
        json.append('{');
        boolean firstEntry = true;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            if (!firstEntry) {
                json.append(',');
            }
            firstEntry = false;
            string(entry.getKey());
            json.append(':');
            string(entry.getValue());
        }
        json.append('}');
    }

    private void list(List<String> list) {
        if (list == null) {
            json.append("null");
            return;
        }
        json.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            string(list.get(i));
        }
        json.append(']');
    }

    /** A JSON string as Jackson writes it: {@code "} and {@code \} escaped, control characters as short escapes or as u00XX escapes. */
    private StateJson string(String value) {
        if (value == null) {
            json.append("null");
            return this;
        }
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
        return this;
    }
}
