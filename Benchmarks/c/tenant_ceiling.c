/* What the server allows for tenant point selects, from C: 16 threads, a connection each, point
 * selects of `accounts` in the bench database's tenant schemas (TenancyBenchmarks setup).
 * usage: tenant_ceiling CONNINFO MODE SECONDS TENANTS        (prints queries per second)
 *   single          always tenant_bench0, names qualified
 *   qualified       a Zipf-random tenant (exponent 1), names qualified, prepared per tenant on first use
 *   qualified-home  the same, each connection serving only the tenants whose number % 16 is its own
 *   path            a Zipf-random tenant, set_config('search_path') pipelined with the select when the
 *                   connection is on another tenant's path, prepared per tenant */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define THREADS 16
static const char *conninfo, *mode;
static int seconds, tenants;
static double *cumulative;
static long totals[THREADS];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int zipf(unsigned *seed) {
    double target = rand_r(seed) / (RAND_MAX + 1.0);
    int low = 0, high = tenants - 1;
    while (low < high) {
        int middle = (low + high) / 2;
        if (cumulative[middle] < target) low = middle + 1; else high = middle;
    }
    return low;
}

static void check(PGconn *c, PGresult *r, ExecStatusType expected) {
    if (PQresultStatus(r) != expected) { fprintf(stderr, "%s", PQerrorMessage(c)); exit(1); }
    PQclear(r);
}

static void *worker(void *arg) {
    long index = (long)arg;
    unsigned seed = index * 7919 + 1;
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) { fprintf(stderr, "%s", PQerrorMessage(c)); exit(1); }
    int single = !strcmp(mode, "single"), home = !strcmp(mode, "qualified-home"), path = !strcmp(mode, "path");
    char *prepared = calloc(tenants, 1), name[32], sql[160], id[16], setting[64];
    int current = -1;
    long done = 0;
    double warm = now() + seconds / 3.0, end = warm + seconds;
    for (double t = now(); t < end; t = now()) {
        int tenant = single ? 0 : zipf(&seed);
        while (home && tenant % THREADS != index) tenant = zipf(&seed);
        snprintf(id, sizeof id, "%d", rand_r(&seed) % 1000 + 1);
        const char *values[1] = {id};
        snprintf(name, sizeof name, "s%d", tenant);
        snprintf(setting, sizeof setting, "tenant_bench%d, public", tenant);
        if (path && current != tenant) {
            const char *settings[1] = {setting};
            check(c, PQexecParams(c, "SELECT pg_catalog.set_config('search_path', $1, false)", 1, NULL, settings,
                                  NULL, NULL, 0), PGRES_TUPLES_OK);
            current = tenant;
        }
        if (!prepared[tenant]) {
            if (path) snprintf(sql, sizeof sql, "SELECT id, name, balance FROM accounts WHERE id = $1");
            else snprintf(sql, sizeof sql, "SELECT id, name, balance FROM tenant_bench%d.accounts WHERE id = $1", tenant);
            check(c, PQprepare(c, name, sql, 0, NULL), PGRES_COMMAND_OK);
            prepared[tenant] = 1;
        }
        check(c, PQexecPrepared(c, name, 1, values, NULL, NULL, 0), PGRES_TUPLES_OK);
        if (t > warm) done++;
    }
    totals[index] = done;
    PQfinish(c);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: %s conninfo single|qualified|qualified-home|path seconds tenants\n", argv[0]); return 2; }
    conninfo = argv[1]; mode = argv[2]; seconds = atoi(argv[3]); tenants = atoi(argv[4]);
    cumulative = malloc(sizeof(double) * tenants);
    double sum = 0;
    for (int i = 0; i < tenants; i++) { sum += 1.0 / (i + 1); cumulative[i] = sum; }
    for (int i = 0; i < tenants; i++) cumulative[i] /= sum;
    pthread_t threads[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
    long total = 0;
    for (int i = 0; i < THREADS; i++) { pthread_join(threads[i], NULL); total += totals[i]; }
    printf("%ld\n", total / seconds);
    return 0;
}
