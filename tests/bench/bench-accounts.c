/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-accounts.c: times adding an openDesk-style account against the servers of
 * tests/servers (issue: discovery and verification of IMAP, SMTP, CalDAV, CardDAV and
 * WebDAV in under 2 s median).
 *
 * An in-process KontorAccountService (folders under $XDG_*_HOME, the EDS registry and
 * the keyring of the session) adds the account the way the account assistant does, in two
 * timed steps:
 *
 * - discover: Discover with the "opendesk" preset. Its KontorDiscovery (given through
 *   kontor_account_service_set_discovery()) resolves imap., smtp., dav. and files. of
 *   the made-up domain to 127.0.0.1 and has a rewrite function that sends its
 *   connections to the harness: imap.DOMAIN:993 to IMAPS, smtp.DOMAIN:587 to submission,
 *   https://dav.DOMAIN/ and https://files.DOMAIN/ to lighttpd, whose
 *   /.well-known/caldav and /.well-known/carddav redirect to Radicale. Every probe and
 *   request of a real openDesk discovery happens, on loopback; the run fails unless
 *   discovery found what a real deployment would give (no fallback after a timeout).
 * - verify+store: Add with the discovered settings, as the assistant sends them once the
 *   user confirmed them. The settings still name the https hosts of the made-up domain,
 *   which only the rewrite knew how to reach, and the verifier has no such seam. So the
 *   hosts are replaced through the same table the rewrite uses (imap.DOMAIN:993 becomes
 *   127.0.0.1:IMAPS and so on; the files URL becomes the harness's own http URL, which
 *   validation allows for 127.0.0.1; the CalDAV and CardDAV URLs already point at
 *   Radicale, where the redirects ended), the DAV login becomes the user name the
 *   harness knows (openDesk's DAV login is the address), and the harness's self-signed
 *   certificate is given as the one the user accepted. Add then does all its real work:
 *   it validates, pins the certificate, logs in to all five services in parallel and
 *   stores the sources in the EDS registry and the passwords in the keyring.
 *
 * "add" is the sum of both steps per run. Each run uses the next user of
 * KONTOR_TEST_USERS, checks that the list shows the account with mail, calendar,
 * contacts and files, then times Verify of the stored account on its own (the five
 * logins with the passwords from the keyring, to tell verifying from storing) and
 * removes the account; none of that counts towards the add. The goal line
 * compares the median add with 2000 ms; the exit status is 0 over the goal too, and 1
 * when a run fails. From the build tree:
 *
 *   meson test -C _build --benchmark accounts -v
 *
 * Options: --runs N (10), --verbose (every run). */
#define G_LOG_DOMAIN "kontor-bench"

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "kontor-account-service.h"
#include "kontor-discovery.h"
#include "kontor-error.h"

#define GOAL_MS      2000.0
#define STEP_TIMEOUT 60 /* seconds: far above any timeout of discovery or verification */

typedef struct
{
  char *from; /* "host:port", or a URL prefix ending in "/" */
  char *to;
} Route;

typedef struct
{
  char *domain;
  char *imaps_port;
  char *smtp_port;
  char *dav_base;
  char *http_base;
  char *ca_pem;
  GStrv users; /* "user:password" */
  GPtrArray *routes;
} Bench;

static Bench bench;
static int n_runs = 10;
static gboolean verbose;

/* DNS: the openDesk hosts of the domain are 127.0.0.1; the rest does not exist. */

#define BENCH_TYPE_RESOLVER (bench_resolver_get_type ())
G_DECLARE_FINAL_TYPE (BenchResolver, bench_resolver, BENCH, RESOLVER, GResolver)

struct _BenchResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (BenchResolver, bench_resolver, G_TYPE_RESOLVER)

static GList *
bench_resolver_lookup_by_name (GResolver *resolver,
                               const char *hostname,
                               GCancellable *cancellable,
                               GError **error)
{
  static const char *const prefixes[] = { "imap.", "smtp.", "dav.", "files." };

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (g_hostname_is_ip_address (hostname))
    return g_list_prepend (NULL, g_inet_address_new_from_string (hostname));
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (hostname, prefixes[i]) &&
        g_ascii_strcasecmp (hostname + strlen (prefixes[i]), bench.domain) == 0)
      return g_list_prepend (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "%s does not exist", hostname);
  return NULL;
}

static void
bench_resolver_lookup_by_name_async (GResolver *resolver,
                                     const char *hostname,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = bench_resolver_lookup_by_name (resolver, hostname, cancellable, &error);

  if (addresses != NULL)
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
  else
    g_task_return_error (task, error);
}

/* No SRV or TXT records: the openDesk preset does not ask for them. */
static void
bench_resolver_lookup_service_async (GResolver *resolver,
                                     const char *rrname,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No record %s",
                           rrname);
}

static void
bench_resolver_lookup_records_async (GResolver *resolver,
                                     const char *rrname,
                                     GResolverRecordType record_type,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  bench_resolver_lookup_service_async (resolver, rrname, cancellable, callback, user_data);
}

static GList *
bench_resolver_lookup_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bench_resolver_class_init (BenchResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = bench_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = bench_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = bench_resolver_lookup_finish;
  resolver_class->lookup_service_async = bench_resolver_lookup_service_async;
  resolver_class->lookup_service_finish = bench_resolver_lookup_finish;
  resolver_class->lookup_records_async = bench_resolver_lookup_records_async;
  resolver_class->lookup_records_finish = bench_resolver_lookup_finish;
}

static void
bench_resolver_init (BenchResolver *self)
{
}

/* Routes: where the hosts of the made-up domain are served on this computer. */

static void
route_free (Route *r)
{
  g_free (r->from);
  g_free (r->to);
  g_free (r);
}

static void
add_route (const char *from, const char *to)
{
  Route *r = g_new0 (Route, 1);

  r->from = g_strdup (from);
  r->to = g_strdup (to);
  g_ptr_array_add (bench.routes, r);
}

/* @where: "host:port" or a URL. Returns: (nullable): where the harness serves it. */
static char *
route (const char *where)
{
  for (guint i = 0; i < bench.routes->len; i++)
    {
      Route *r = g_ptr_array_index (bench.routes, i);

      if (g_str_has_suffix (r->from, "/") && g_str_has_prefix (where, r->from))
        return g_strconcat (r->to, where + strlen (r->from), NULL);
      if (g_str_equal (where, r->from))
        return g_strdup (r->to);
    }
  return NULL;
}

static char *
rewrite_cb (const char *uri, gpointer user_data)
{
  return route (uri);
}

/* Replaces a discovered host and port with where the harness serves them. */
static gboolean
route_server (const char *host, guint16 port, char **out_host, guint32 *out_port)
{
  g_autofree char *from = g_strdup_printf ("%s:%u", host, port);
  g_autofree char *to = route (from);
  const char *colon = to ? strrchr (to, ':') : NULL;

  if (colon == NULL)
    return FALSE;
  *out_host = g_strndup (to, colon - to);
  *out_port = (guint32) g_ascii_strtoull (colon + 1, NULL, 10);
  return TRUE;
}

static char *
route_url (const char *url)
{
  char *routed = url ? route (url) : NULL;

  return routed ? routed : g_strdup (url);
}

/* Runs the main loop until an asynchronous call is back. */

static void
store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
step_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until @done says so, or STEP_TIMEOUT passed. */
static gboolean
wait_until (gboolean (*done) (gpointer data), gpointer data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (STEP_TIMEOUT, step_timeout_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
wait_for (GAsyncResult **result)
{
  return wait_until (has_result, result);
}

/* The account as the list shows it once every source of it arrived. */
static gboolean
is_listed_complete (KontorAccount *account)
{
  static const char *const wanted[] = { "mail", "calendar", "contacts", "files" };

  for (guint i = 0; account != NULL && i < G_N_ELEMENTS (wanted); i++)
    if (!g_strv_contains (kontor_account_get_services (account), wanted[i]))
      return FALSE;
  return account != NULL;
}

typedef struct
{
  KontorAccountService *service;
  const char *id;
  gboolean listed;
} Listed;

static gboolean
is_listed_as_wanted (gpointer data)
{
  Listed *wanted = data;
  KontorAccount *account = kontor_account_service_lookup (wanted->service, wanted->id);

  return wanted->listed ? is_listed_complete (account) : account == NULL;
}

/* Waits for the account list to show @id with all its services, or no longer at all. */
static gboolean
wait_for_listed (KontorAccountService *service, const char *id, gboolean listed)
{
  Listed wanted = { service, id, listed };

  return wait_until (is_listed_as_wanted, &wanted);
}

/* One run. */

typedef struct
{
  double discover_ms;
  double store_ms;
  double verify_ms; /* Verify of the stored account afterwards: where the time goes */
} Sample;

static GVariant *
build_add_options (const KontorAccountSettings *settings, const char *user)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autofree char *imap_host = NULL;
  g_autofree char *smtp_host = NULL;
  g_autofree char *caldav = route_url (settings->caldav_url);
  g_autofree char *carddav = route_url (settings->carddav_url);
  g_autofree char *webdav = route_url (settings->webdav_url);
  guint32 imap_port = 0;
  guint32 smtp_port = 0;

  /* check_discovered() made sure that both are routed. */
  route_server (settings->imap_host, settings->imap_port, &imap_host, &imap_port);
  route_server (settings->smtp_host, settings->smtp_port, &smtp_host, &smtp_port);

  g_variant_builder_add (&builder, "{sv}", "username", g_variant_new_string (settings->username));
  g_variant_builder_add (&builder, "{sv}", "imap-host", g_variant_new_string (imap_host));
  g_variant_builder_add (&builder, "{sv}", "imap-port", g_variant_new_uint32 (imap_port));
  g_variant_builder_add (
    &builder, "{sv}", "imap-security",
    g_variant_new_string (kontor_security_to_string (settings->imap_security)));
  g_variant_builder_add (&builder, "{sv}", "smtp-host", g_variant_new_string (smtp_host));
  g_variant_builder_add (&builder, "{sv}", "smtp-port", g_variant_new_uint32 (smtp_port));
  g_variant_builder_add (
    &builder, "{sv}", "smtp-security",
    g_variant_new_string (kontor_security_to_string (settings->smtp_security)));
  g_variant_builder_add (&builder, "{sv}", "caldav-url", g_variant_new_string (caldav));
  g_variant_builder_add (&builder, "{sv}", "carddav-url", g_variant_new_string (carddav));
  g_variant_builder_add (&builder, "{sv}", "webdav-url", g_variant_new_string (webdav));
  g_variant_builder_add (&builder, "{sv}", "dav-username", g_variant_new_string (user));
  g_variant_builder_add (&builder, "{sv}", "trusted-certificate",
                         g_variant_new_string (bench.ca_pem));
  return g_variant_builder_end (&builder);
}

/* What a real openDesk deployment gives: every probe connected, both well-known URLs
 * redirected to the DAV server. A fallback (after a timeout) would time the wrong thing. */
static gboolean
check_discovered (const KontorAccountSettings *settings, const char *user, GError **error)
{
  g_autofree char *imap = g_strconcat ("imap.", bench.domain, NULL);
  g_autofree char *smtp = g_strconcat ("smtp.", bench.domain, NULL);
  g_autofree char *files =
    g_strdup_printf ("https://files.%s/remote.php/dav/files/%s/", bench.domain, user);

  if (g_strcmp0 (settings->origin, "opendesk") == 0 && g_strcmp0 (settings->imap_host, imap) == 0 &&
      g_strcmp0 (settings->smtp_host, smtp) == 0 &&
      g_str_has_prefix (settings->caldav_url ? settings->caldav_url : "", bench.dav_base) &&
      g_str_has_prefix (settings->carddav_url ? settings->carddav_url : "", bench.dav_base) &&
      g_strcmp0 (settings->webdav_url, files) == 0)
    return TRUE;

  g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
               "discovery found IMAP %s, SMTP %s, CalDAV %s, CardDAV %s, WebDAV %s (%s)",
               settings->imap_host, settings->smtp_host, settings->caldav_url,
               settings->carddav_url, settings->webdav_url, settings->origin);
  return FALSE;
}

static gboolean
run_once (KontorAccountService *service, guint index, Sample *sample, GError **error)
{
  const char *entry = bench.users[index % g_strv_length (bench.users)];
  const char *colon = strchr (entry, ':');
  g_autofree char *user = g_strndup (entry, colon - entry);
  const char *password = colon + 1;
  g_autofree char *email = g_strdup_printf ("%s@%s", user, bench.domain);
  g_autoptr (GAsyncResult) discovered = NULL;
  g_autoptr (GAsyncResult) added = NULL;
  g_autoptr (GAsyncResult) verified = NULL;
  g_autoptr (GAsyncResult) removed = NULL;
  g_autoptr (KontorVerification) verification = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;
  g_autofree char *id = NULL;
  GVariantDict preset;
  gint64 start, middle, end;

  g_variant_dict_init (&preset, NULL);
  g_variant_dict_insert (&preset, "preset", "s", "opendesk");

  start = g_get_monotonic_time ();
  kontor_account_service_discover_async (service, email, g_variant_dict_end (&preset), NULL,
                                         store_result_cb, &discovered);
  if (!wait_for (&discovered))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_TIMEOUT, "Discover of %s hangs", email);
      return FALSE;
    }
  settings = kontor_account_service_discover_finish (service, discovered, error);
  middle = g_get_monotonic_time ();
  if (settings == NULL || !check_discovered (settings, user, error))
    return FALSE;

  kontor_account_service_add_async (service, email, password, build_add_options (settings, user),
                                    NULL, store_result_cb, &added);
  if (!wait_for (&added))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_TIMEOUT, "Add of %s hangs", email);
      return FALSE;
    }
  id = kontor_account_service_add_finish (service, added, error);
  end = g_get_monotonic_time ();
  if (id == NULL)
    return FALSE;

  sample->discover_ms = (middle - start) / 1000.0;
  sample->store_ms = (end - middle) / 1000.0;
  if (verbose)
    g_print ("  run %2u  %-24s discover %7.1f ms  verify+store %7.1f ms  CalDAV %s\n", index + 1,
             email, sample->discover_ms, sample->store_ms, settings->caldav_url);

  /* Not timed: what the account list shows, and the next run starts from an empty list
   * again. */
  if (!wait_for_listed (service, id, TRUE))
    {
      KontorAccount *account = kontor_account_service_lookup (service, id);
      g_autofree char *services =
        account ? g_strjoinv (",", (char **) kontor_account_get_services (account)) : NULL;

      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_TIMEOUT,
                   "%s was added, but the list shows %s, not mail, calendar, contacts and files",
                   id, account ? services : "nothing");
      return FALSE;
    }

  /* Apart from the add: the logins alone, with the passwords from the keyring. */
  start = g_get_monotonic_time ();
  kontor_account_service_verify_async (service, id, NULL, store_result_cb, &verified);
  if (!wait_for (&verified))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_TIMEOUT, "Verify of %s hangs", id);
      return FALSE;
    }
  verification = kontor_account_service_verify_finish (service, verified, error);
  sample->verify_ms = (g_get_monotonic_time () - start) / 1000.0;
  if (verification == NULL)
    return FALSE;
  if (!kontor_verification_is_ok (verification))
    {
      g_propagate_error (error, kontor_verification_dup_first_error (verification));
      return FALSE;
    }
  if (verbose)
    g_print ("          verify again %7.1f ms\n", sample->verify_ms);

  kontor_account_service_remove_async (service, id, NULL, store_result_cb, &removed);
  if (!wait_for (&removed) || !kontor_account_service_remove_finish (service, removed, error) ||
      !wait_for_listed (service, id, FALSE))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_TIMEOUT, "%s could not be removed", id);
      return FALSE;
    }
  return TRUE;
}

/* Figures. */

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
summarize (const char *label, GArray *values)
{
  g_autoptr (GArray) sorted = g_array_copy (values);
  guint n = sorted->len;
  double median;

  g_array_sort (sorted, compare_doubles);
  median =
    n % 2 ? g_array_index (sorted, double, n / 2)
          : (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
  g_print ("  %-14s %7.1f ms %7.1f ms %7.1f ms\n", label, median, g_array_index (sorted, double, 0),
           g_array_index (sorted, double, n - 1));
  return median;
}

static char *
require_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    {
      g_printerr ("bench-accounts: %s is not set; run it under tests/servers/with-servers.sh\n",
                  name);
      exit (1);
    }
  return g_strdup (value);
}

static void
setup (void)
{
  g_autofree char *ca_path = require_env ("KONTOR_TEST_CA_CERT");
  g_autofree char *users = require_env ("KONTOR_TEST_USERS");
  g_autofree char *imap = NULL;
  g_autofree char *smtp = NULL;
  g_autofree char *imap_target = NULL;
  g_autofree char *smtp_target = NULL;
  g_autofree char *dav = NULL;
  g_autofree char *files = NULL;
  g_autoptr (GError) error = NULL;

  bench.domain = require_env ("KONTOR_TEST_MAIL_DOMAIN");
  bench.imaps_port = require_env ("KONTOR_TEST_IMAPS_PORT");
  bench.smtp_port = require_env ("KONTOR_TEST_SMTP_PORT");
  bench.dav_base = require_env ("KONTOR_TEST_DAV_BASE");
  bench.http_base = require_env ("KONTOR_TEST_HTTP_BASE");
  bench.users = g_strsplit (users, ",", -1);
  for (guint i = 0; bench.users[i] != NULL; i++)
    if (strchr (bench.users[i], ':') == NULL)
      {
        g_printerr ("bench-accounts: KONTOR_TEST_USERS is not user:password,...\n");
        exit (1);
      }
  if (!g_file_get_contents (ca_path, &bench.ca_pem, NULL, &error))
    {
      g_printerr ("bench-accounts: %s\n", error->message);
      exit (1);
    }

  bench.routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  imap = g_strdup_printf ("imap.%s:993", bench.domain);
  imap_target = g_strdup_printf ("127.0.0.1:%s", bench.imaps_port);
  smtp = g_strdup_printf ("smtp.%s:587", bench.domain);
  smtp_target = g_strdup_printf ("127.0.0.1:%s", bench.smtp_port);
  dav = g_strdup_printf ("https://dav.%s/", bench.domain);
  files = g_strdup_printf ("https://files.%s/", bench.domain);
  add_route (imap, imap_target);
  add_route (smtp, smtp_target);
  add_route (dav, bench.http_base);
  add_route (files, bench.http_base);
}

int
main (int argc, char **argv)
{
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Adds to time (10)", "N" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Show every run", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- time adding an account");
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountService) service = NULL;
  g_autoptr (KontorDiscovery) discovery = NULL;
  g_autoptr (GResolver) resolver = NULL;
  g_autoptr (GAsyncResult) loaded = NULL;
  g_autoptr (GArray) discover = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) store = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) add = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) verify = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *config = g_build_filename (g_get_user_config_dir (), "kontor", NULL);
  g_autofree char *data = g_build_filename (g_get_user_data_dir (), "kontor", NULL);
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "kontor", NULL);
  gint64 start;
  double median;

  setlocale (LC_ALL, "");
  /* Requests to 127.0.0.1 must not go through a proxy of the machine running this. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("all_proxy");
  g_unsetenv ("ALL_PROXY");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_runs < 1)
    {
      g_printerr ("bench-accounts: %s\n", error ? error->message : "--runs must be at least 1");
      return 2;
    }
  setup ();

  service = kontor_account_service_new (config, data, cache);
  discovery = kontor_discovery_new ();
  resolver = g_object_new (BENCH_TYPE_RESOLVER, NULL);
  kontor_discovery_set_resolver (discovery, resolver);
  kontor_discovery_set_rewrite_func (discovery, rewrite_cb, NULL, NULL);
  kontor_account_service_set_discovery (service, discovery);

  /* Once per process, as in Kontor: not part of an add. */
  start = g_get_monotonic_time ();
  kontor_account_service_load_async (service, NULL, store_result_cb, &loaded);
  if (!wait_for (&loaded) || !kontor_account_service_load_finish (service, loaded, &error))
    {
      g_printerr ("bench-accounts: the registry is not available: %s\n",
                  error ? error->message : "timed out");
      return 1;
    }

  g_print ("Adding an openDesk-style account (%s) against tests/servers, %d runs\n", bench.domain,
           n_runs);
  g_print ("  registry connected in %.1f ms (once, not part of an add)\n",
           (g_get_monotonic_time () - start) / 1000.0);

  for (int i = 0; i < n_runs; i++)
    {
      Sample sample = { 0 };
      double total;

      if (!run_once (service, i, &sample, &error))
        {
          g_printerr ("bench-accounts: run %d failed: %s\n", i + 1, error->message);
          return 1;
        }
      total = sample.discover_ms + sample.store_ms;
      g_array_append_val (discover, sample.discover_ms);
      g_array_append_val (store, sample.store_ms);
      g_array_append_val (add, total);
      g_array_append_val (verify, sample.verify_ms);
    }

  g_print ("  %-14s %10s %10s %10s\n", "phase", "median", "min", "max");
  summarize ("discover", discover);
  summarize ("verify+store", store);
  median = summarize ("add", add);
  g_print ("  apart from the add, Verify of the stored account:\n");
  summarize ("verify", verify);
  g_print ("goal: median add < %.0f ms: %s\n", GOAL_MS, median < GOAL_MS ? "PASS" : "OVER");
  return 0;
}
