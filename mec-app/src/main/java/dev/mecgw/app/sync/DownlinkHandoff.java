package dev.mecgw.app.sync;

import dev.mecgw.app.twin.CommandDispatcher;
import dev.mecgw.app.twin.DesiredTwin;
import dev.mecgw.app.twin.DeviceMessenger;
import dev.mecgw.app.twin.DeviceUpdatePublisher;
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
    private final DeviceMessenger messenger;
    private final DeviceUpdatePublisher coap;

    public DownlinkHandoff(
            CommandDispatcher commands, TwinStore twins, DeviceMessenger messenger, DeviceUpdatePublisher coap) {
        this.commands = commands;
        this.twins = twins;
        this.messenger = messenger;
        this.coap = coap;
    }

    @Override
    public void onStored(DownlinkMessage message, String outcome) {
        try {
            if (message.kind() == DownlinkMessage.Kind.COMMAND && "at-site".equals(outcome)) {
                commands.dispatch(message.id());
            } else if (message.kind() == DownlinkMessage.Kind.DESIRED && "applied".equals(outcome)) {
                twins.desired(message.deviceId()).ifPresent(this::publishDesired);
            }
        } catch (RuntimeException e) {
            // The message is stored; a command is handed again by the next sweep.
            LOG.warnf("downlink message %s stored but not handed over: %s", message.id(), e.getMessage());
        }
    }

    private void publishDesired(DesiredTwin twin) {
        coap.publishDesired(twin);
        messenger.send("devices/" + twin.deviceId() + "/twin/desired", twin.desired(), 1, true);
    }
}
