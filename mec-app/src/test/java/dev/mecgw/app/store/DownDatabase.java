package dev.mecgw.app.store;

import dev.mecgw.testsupport.net.FreePorts;
import java.io.IOException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL that is down, for a store's failure path without stopping the suite's database: the real driver,
 * pointed at a loopback port nothing listens on, so that every connection is refused at once.
 */
public final class DownDatabase {

    private DownDatabase() {}

    public static DataSource dataSource() throws IOException {
        PGSimpleDataSource down = new PGSimpleDataSource();
        down.setServerNames(new String[] {"127.0.0.1"});
        down.setPortNumbers(new int[] {FreePorts.tcp()});
        down.setDatabaseName("mecgw");
        down.setUser("mecgw");
        return down;
    }
}
