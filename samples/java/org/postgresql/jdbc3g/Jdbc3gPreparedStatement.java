package org.postgresql.jdbc3g;

import org.postgresql.jdbc2.AbstractJdbc2Statement;

/**
 * Stand-in for pgjdbc 9.x {@code org.postgresql.jdbc3g.Jdbc3gPreparedStatement}: the concrete
 * class applications got from {@code Connection.prepareStatement()} on Java 5/6 drivers. It does
 * not override finalize(); it inherits AbstractJdbc2Statement's, so its instances are finalizable.
 */
public class Jdbc3gPreparedStatement extends AbstractJdbc2Statement {
    public Jdbc3gPreparedStatement(String sql, long statementId, byte[] resultBuffer) {
        super(sql, statementId, resultBuffer);
    }
}
