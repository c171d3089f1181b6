package dev.mecgw.app.southbound.iec104;

/**
 * A frame that breaks IEC 60870-5-104: bad start octet or length, a sequence number out of order, an ASDU whose
 * length does not match its type. The connection that carried it is no longer trustworthy and is closed (clause
 * 5.5: a controlling station closes the connection on a sequence error); the station then reconnects.
 */
public class Iec104FrameException extends RuntimeException {

    public Iec104FrameException(String message) {
        super(message);
    }
}
