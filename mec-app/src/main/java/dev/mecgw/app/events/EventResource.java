package dev.mecgw.app.events;

import dev.mecgw.app.problem.GatewayException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The event log and its alarms over REST (issue 19): lists by severity, state and acknowledgement, "what is wrong
 * now", and acknowledge and clear, one event or a summary group at a time. Actions made with the admin token are
 * recorded as user {@value #TOKEN_USER}.
 */
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "events")
@SecurityRequirement(name = "adminToken")
@Blocking
public class EventResource {

    /** The user name of actions authorised by the REST admin token, which names no person. */
    public static final String TOKEN_USER = "admin-token";

    private final Alarms alarms;

    public EventResource(Alarms alarms) {
        this.alarms = alarms;
    }

    /** Newest first; {@code next} is the {@code before} value of the following page, null on the last one. */
    @GET
    public Map<String, Object> list(@BeanParam EventFilter filter) {
        EventQuery query = filter.toQuery();
        List<StoredEvent> events = alarms.list(query);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", events.stream().map(EventResource::view).toList());
        page.put(
                "next",
                events.size() < query.limit()
                        ? null
                        : String.valueOf(events.get(events.size() - 1).id()));
        return page;
    }

    /** What is wrong now: active alarms by severity and acknowledgement, and grouped by kind and device. */
    @GET
    @Path("summary")
    public AlarmSummary summary(@QueryParam("groups") @DefaultValue("50") int groups) {
        if (groups < 1 || groups > EventQuery.MAX_LIMIT) {
            throw GatewayException.badField("groups", "must be between 1 and " + EventQuery.MAX_LIMIT);
        }
        return alarms.summary(groups);
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return view(alarms.get(id(id)));
    }

    @POST
    @Path("{id}/acknowledge")
    public Map<String, Object> acknowledge(
            @PathParam("id") String id, AlarmAction body, @Context SecurityContext security) {
        return view(alarms.acknowledge(id(id), user(security), note(body)));
    }

    @POST
    @Path("{id}/clear")
    public Map<String, Object> clear(@PathParam("id") String id, AlarmAction body, @Context SecurityContext security) {
        return view(alarms.clear(id(id), user(security), note(body)));
    }

    /** Acknowledges a summary group: every active, unacknowledged alarm of the kind on the device. */
    @POST
    @Path("acknowledge")
    public Map<String, Object> acknowledgeGroup(AlarmGroupAction body, @Context SecurityContext security) {
        return onGroup(body, security, alarms::acknowledgeGroup);
    }

    /** Clears a summary group: every active alarm of the kind on the device. */
    @POST
    @Path("clear")
    public Map<String, Object> clearGroup(AlarmGroupAction body, @Context SecurityContext security) {
        return onGroup(body, security, alarms::clearGroup);
    }

    /** The JSON shape of one event: its row plus whether it is active and acknowledged. */
    static Map<String, Object> view(StoredEvent event) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", event.id());
        view.put("ts", event.ts());
        view.put("deviceId", event.deviceId());
        view.put("kind", event.kind());
        view.put("severity", event.severity());
        view.put("payload", event.payload());
        view.put("active", event.active());
        view.put("acknowledged", event.acknowledged());
        view.put("ackedAt", event.ackedAt());
        view.put("ackedBy", event.ackedBy());
        view.put("clearedAt", event.clearedAt());
        view.put("clearedBy", event.clearedBy());
        return view;
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw GatewayException.badField("id", "must be an event id (a whole number)");
        }
    }

    private static String user(SecurityContext security) {
        Principal principal = security == null ? null : security.getUserPrincipal();
        return principal == null || principal.getName().isBlank() ? TOKEN_USER : principal.getName();
    }

    private static Optional<String> note(AlarmAction body) {
        return body == null ? Optional.empty() : Optional.ofNullable(body.note());
    }

    private static Map<String, Object> onGroup(AlarmGroupAction body, SecurityContext security, GroupAction action) {
        if (body == null || body.kind() == null || body.kind().isBlank()) {
            throw GatewayException.badField("kind", "is required");
        }
        Optional<String> device = Optional.ofNullable(body.device()).filter(d -> !d.isBlank());
        return Map.of("count", action.apply(body.kind(), device, user(security), Optional.ofNullable(body.note())));
    }

    /** {@link Alarms#acknowledgeGroup} or {@link Alarms#clearGroup}. */
    @FunctionalInterface
    private interface GroupAction {
        int apply(String kind, Optional<String> device, String user, Optional<String> note);
    }
}
