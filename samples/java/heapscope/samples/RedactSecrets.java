package heapscope.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;

/**
 * RedactSecrets -- a heap full of things that must not leave the building, for `heapscope redact`.
 *
 * Plants secrets where applications keep them: SQL text in a Latin-1 String and in a UTF-16 one
 * (a non-Latin-1 character turns compact strings off for that String), an API key in a byte[], a
 * password in a char[], an account number in a long field and a static long. Every secret is
 * built at run time, so besides the heap it appears only in the JVM's symbol table as pieces.
 * Around them, something for the report to find: a Timer on a thread the program names
 * ("acme-billing-timer") holding --cancelled cancelled and --scheduled scheduled tasks, and
 * --vaults finalizable CustomerVault objects (registered, live).
 *
 * The sidecar lists the secrets (by encoding), the program's classes and the counts.
 *
 * usage: RedactSecrets [--vaults N] [--cancelled C] [--scheduled S] [--dump PATH] [--live true|false]
 */
public final class RedactSecrets {
    static final String TIMER_THREAD = "acme-billing-timer";
    static long staticSecret;
    static final List<CustomerVault> VAULTS = new ArrayList<>();
    static Timer timer;

    /** Finalizable, so the finalizer analysis has registered objects to count. */
    static final class CustomerVault {
        String sqlLatin1;
        String sqlUtf16;
        byte[] apiKey;
        char[] password;
        long accountNumber;
        int pin;

        @Override
        @SuppressWarnings({"deprecation", "removal"})
        protected void finalize() {
            pin = 0;
        }
    }

    static final class InvoiceReminder extends TimerTask {
        final long invoice;

        InvoiceReminder(long invoice) {
            this.invoice = invoice;
        }

        @Override
        public void run() {}
    }

    /** "pfx" + the digits of n in words of the secret's own, so no literal holds the secret. */
    static String secret(String prefix, int n) {
        StringBuilder sb = new StringBuilder(prefix);
        for (char c : Integer.toString(n * 7919 + 104729).toCharArray()) sb.append((char) ('Q' + (c - '0')));
        return sb.toString();
    }

    public static void main(String[] argv) throws Exception {
        SampleSupport.Args args = new SampleSupport.Args(argv);
        int vaults = args.integer("vaults", 12);
        int cancelled = args.integer("cancelled", 40);
        int scheduled = args.integer("scheduled", 5);
        boolean live = args.bool("live", false);
        String dump = args.string("dump", "RedactSecrets.hprof");

        List<Object> latin1 = new ArrayList<>(), utf16 = new ArrayList<>(), bytes = new ArrayList<>(),
                chars = new ArrayList<>(), longs = new ArrayList<>();
        for (int i = 0; i < vaults; i++) {
            CustomerVault v = new CustomerVault();
            String token = secret("tokLATIN", i);
            v.sqlLatin1 = new StringBuilder("SELECT * FROM cards WHERE token='").append(token).append("'").toString();
            String pass = secret("p\u00e4ssw\u00f6rd\u03a9UTF", i);  // Omega: UTF-16
            v.sqlUtf16 = new StringBuilder("UPDATE users SET password='").append(pass).append("'").toString();
            String key = secret("APIKEYBYTES", i);
            v.apiKey = key.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            String pw = secret("CHARPASSWD", i);
            v.password = pw.toCharArray();
            v.accountNumber = 0x5EC12E7A00000000L | (0x1000 + i);
            v.pin = 4242 + i;
            VAULTS.add(v);
            latin1.add(token);
            utf16.add(pass);
            bytes.add(key);
            chars.add(pw);
            longs.add(Long.toString(v.accountNumber));
        }
        staticSecret = 0x0DDBA11CAFEF00DL;
        longs.add(Long.toString(staticSecret));

        timer = new Timer(TIMER_THREAD, true);
        List<TimerTask> tasks = new ArrayList<>();
        for (int i = 0; i < cancelled + scheduled; i++) {
            TimerTask t = new InvoiceReminder(1_000_000L + i);
            timer.schedule(t, 3_600_000L + i);
            tasks.add(t);
        }
        // The scheduled tasks come first: the timer thread only looks at the head (due in an hour)
        // and never gets to purge the cancelled ones behind it.
        for (int i = scheduled; i < cancelled + scheduled; i++) tasks.get(i).cancel();
        tasks.clear();

        Map<String, Object> timerCensus = SampleSupport.timerCensus(timer);
        SampleSupport.expect("queue size", cancelled + scheduled, timerCensus.get("queue_size"));

        Map<String, Object> s = SampleSupport.sidecarHead("RedactSecrets", live, vaults, 0);
        s.put("timer_thread", TIMER_THREAD);
        s.put("timer", timerCensus);
        s.put("user_classes", List.of(RedactSecrets.class.getName(), CustomerVault.class.getName(),
                InvoiceReminder.class.getName()));
        s.put("user_fields", List.of("sqlLatin1", "sqlUtf16", "apiKey", "password", "accountNumber", "pin",
                "invoice", "staticSecret"));
        s.put("secrets", SampleSupport.map(
                "latin1", latin1, "utf16", utf16, "byte_arrays", bytes, "char_arrays", chars,
                "longs", longs));
        SampleSupport.finish(args, dump, live, s);
        // Reachable until the dump is written.
        if (VAULTS.size() != vaults) throw new IllegalStateException();
    }
}
