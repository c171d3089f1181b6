package dev.mecgw.app.events;

/**
 * Body of an acknowledge or clear request; optional.
 *
 * @param note a remark kept in the operator event, at most {@link Alarms#MAX_NOTE} characters; may be null
 */
public record AlarmAction(String note) {}
