package dev.mecgw.app.events;

import java.util.List;

/** The severities of the event log, mildest first, and the ones that make an alarm (issue 19). */
public final class Severity {

    /** Every severity an event may carry, mildest first. */
    public static final List<String> ALL = List.of("info", "warning", "alarm");

    /** Severities that are alarms: active until cleared, acknowledged by operators. */
    public static final List<String> ALARMING = List.of("warning", "alarm");

    private Severity() {}
}
