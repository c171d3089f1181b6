package dev.mecgw.app.sync;

import dev.mecgw.app.twin.CommandDispatcher;
import dev.mecgw.app.twin.DesiredTwinPush;
import dev.mecgw.app.twin.TwinStore;
import dev.mecgw.sync.downlink.DownlinkListener;
import dev.mecgw.sync.downlink.DownlinkMessage;
import org.jboss.logging.Logger;

/**
 * Hands what the downlink stored to the devices, as a REST call at the edge would (issue 17): a command stored
 * at-site goes, by its id, to the command dispatcher, which reads it back from the store; an applied desired state is
 * published retained on {@code devices/{id}/twin/desired} and to CoAP observers of {@code /twin/desired}.
 */
public final class DownlinkHandoff implements DownlinkListener {

    private static final Logger LOG = Logger.getLogger(DownlinkHandoff.class);

    private final CommandDispatcher commands;
    private final TwinStore twins;
    private final DesiredTwinPush desiredPush;

    public DownlinkHandoff(CommandDispatcher commands, TwinStore twins, DesiredTwinPush desiredPush) {
        this.commands = commands;
        this.twins = twins;
        this.desiredPush = desiredPush;
    }

    @Override
    public void onStored(DownlinkMessage message, String outcome) {
        try {
            if (message.kind() == DownlinkMessage.Kind.COMMAND && "at-site".equals(outcome)) {
                commands.dispatch(message.id());
            } else if (message.kind() == DownlinkMessage.Kind.DESIRED && "applied".equals(outcome)) {
                twins.desired(message.deviceId()).ifPresent(desiredPush::push);
            }
        } catch (RuntimeException e) {
            // The message is stored; a command is handed again by the next sweep.
            LOG.warnf("downlink message %s stored but not handed over: %s", message.id(), e.getMessage());
        }
    }
}
