package dev.mecgw.app.southbound.iec104;

/** A command the outstation refused (negative confirmation), did not confirm in time, or could not receive. */
public class Iec104CommandException extends RuntimeException {

    public Iec104CommandException(String message) {
        super(message);
    }
}
