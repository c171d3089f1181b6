package dev.mecgw.app.events;

/**
 * Body of a request acting on a group of the "what is wrong now" summary: every active alarm of one kind on one
 * device.
 *
 * @param kind the events' kind; required
 * @param device the device, or null for site-wide events
 * @param note a remark kept in the operator event; may be null
 */
public record AlarmGroupAction(String kind, String device, String note) {}
