/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-discovery.c: account discovery against an HTTP server, TCP listeners and a DNS
 * resolver that the test runs itself, so nothing leaves this computer. */
#define G_LOG_DOMAIN "kontor-test"

#include "config.h"

#include <libsoup/soup.h>

#include "kontor-discovery.h"
#include "kontor-error.h"

/* DNS: every known name is 127.0.0.1; the rest does not exist. */
static const char *const known_hosts[] = {
  "example.org",        "imap.example.org",      "smtp.example.org",     "wellknown.example",
  "malformed.example",  "srv.example",           "dav.example",          "guess.example",
  "imap.guess.example", "smtp.guess.example",    "empty.example",        "tarpit.example",
  "opendesk.example",   "mail.opendesk.example", "dav.opendesk.example", "quiet.example",
  "tls.example",
};

typedef struct
{
  const char *rrname;
  guint16 priority;
  guint16 port;
  const char *target;
} SrvRecord;

static const SrvRecord srv_records[] = {
  { "_imaps._tcp.example.org", 0, 993, "srv-imap.example.org" },
  { "_submission._tcp.example.org", 0, 587, "srv-smtp.example.org" },
  { "_imaps._tcp.malformed.example", 0, 993, "mail.malformed.example" },
  { "_submission._tcp.malformed.example", 0, 587, "mail.malformed.example" },
  { "_imaps._tcp.srv.example", 20, 993, "backup.srv.example" },
  { "_imaps._tcp.srv.example", 10, 993, "imap.srv.example." },
  { "_imap._tcp.srv.example", 0, 0, "." },
  { "_submissions._tcp.srv.example", 0, 0, "." },
  { "_submission._tcp.srv.example", 0, 587, "smtp.srv.example" },
  { "_caldavs._tcp.srv.example", 0, 8443, "dav.srv.example" },
  { "_carddavs._tcp.srv.example", 0, 443, "dav.srv.example" },
  { "_imaps._tcp.tarpit.example", 0, 993, "mail.tarpit.example" },
  { "_submission._tcp.tarpit.example", 0, 587, "mail.tarpit.example" },
  { "_imaps._tcp.tls.example", 0, 993, "mail.tls.example" },
};

static const char *const txt_records[][2] = {
  { "_caldavs._tcp.srv.example", "path=/cal/" },
};

#define EXAMPLE_ORG_AUTOCONFIG                                                               \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                             \
  "<clientConfig version=\"1.1\">\n"                                                         \
  " <emailProvider id=\"example.org\">\n"                                                    \
  "  <domain>example.org</domain>\n"                                                         \
  "  <displayName>Example Mail</displayName>\n"                                              \
  "  <incomingServer type=\"pop3\">\n"                                                       \
  "   <hostname>pop.example.org</hostname><port>995</port><socketType>SSL</socketType>\n"    \
  "   <username>%EMAILADDRESS%</username>\n"                                                 \
  "  </incomingServer>\n"                                                                    \
  "  <incomingServer type=\"imap\">\n"                                                       \
  "   <hostname>starttls.example.org</hostname><port>143</port>\n"                           \
  "   <socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username>\n"                \
  "   <authentication>password-cleartext</authentication>\n"                                 \
  "  </incomingServer>\n"                                                                    \
  "  <incomingServer type=\"imap\">\n"                                                       \
  "   <hostname>imap.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType>\n" \
  "   <username>%EMAILLOCALPART%</username>\n"                                               \
  "   <authentication>password-cleartext</authentication>\n"                                 \
  "  </incomingServer>\n"                                                                    \
  "  <outgoingServer type=\"smtp\">\n"                                                       \
  "   <hostname>smtp.example.org</hostname><port>25</port><socketType>plain</socketType>\n"  \
  "  </outgoingServer>\n"                                                                    \
  "  <outgoingServer type=\"smtp\">\n"                                                       \
  "   <hostname>oauth.example.org</hostname><port>465</port><socketType>SSL</socketType>\n"  \
  "   <authentication>OAuth2</authentication>\n"                                             \
  "  </outgoingServer>\n"                                                                    \
  "  <outgoingServer type=\"smtp\">\n"                                                       \
  "   <hostname>smtp.example.org</hostname><port>587</port>\n"                               \
  "   <socketType>STARTTLS</socketType><username>%EMAILLOCALPART%</username>\n"              \
  "  </outgoingServer>\n"                                                                    \
  " </emailProvider>\n"                                                                      \
  "</clientConfig>\n"

#define WELL_KNOWN_AUTOCONFIG                                                                 \
  "<clientConfig version=\"1.1\"><emailProvider id=\"wellknown.example\">"                    \
  "<incomingServer type=\"imap\"><hostname>mail.wellknown.example</hostname>"                 \
  "<port>143</port><socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username>"      \
  "</incomingServer>"                                                                         \
  "<outgoingServer type=\"smtp\"><hostname>mail.wellknown.example</hostname><port>465</port>" \
  "<socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer>"          \
  "</emailProvider></clientConfig>"

/* What a server that must not be trusted would like the client to use. */
#define UNTRUSTED_AUTOCONFIG                                                        \
  "<clientConfig version=\"1.1\"><emailProvider id=\"tls.example\">"                \
  "<incomingServer type=\"imap\"><hostname>evil.example</hostname><port>993</port>" \
  "<socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>"

typedef struct
{
  const char *path; /* "/HOST/PATH" as the rewrite sends it */
  guint status;
  const char *location;
  const char *body;
} Document;

static const Document documents[] = {
  { "/autoconfig.example.org/mail/config-v1.1.xml", 200, NULL, EXAMPLE_ORG_AUTOCONFIG },
  { "/example.org/.well-known/caldav", 301, "/dav/calendars/", NULL },
  { "/example.org/.well-known/carddav", 301, "/dav/contacts/", NULL },
  { "/example.org/dav/calendars/", 401, NULL, NULL },
  { "/example.org/dav/contacts/", 401, NULL, NULL },
  { "/wellknown.example/.well-known/autoconfig/mail/config-v1.1.xml", 200, NULL,
    WELL_KNOWN_AUTOCONFIG },
  { "/autoconfig.malformed.example/mail/config-v1.1.xml", 200, NULL,
    "<clientConfig version=\"1.1\"><emailProvider><incomingServer type=\"imap\">"
    "<hostname>wrong.example</hostname>" },
  { "/malformed.example/.well-known/autoconfig/mail/config-v1.1.xml", 200, NULL,
    "<html><body>Welcome</body></html>" },
  { "/dav.srv.example/.well-known/carddav", 301, "/contacts/", NULL },
  { "/dav.srv.example/contacts/", 207, NULL, "<multistatus xmlns=\"DAV:\"/>" },
  { "/dav.example/.well-known/caldav", 302, "/dav", NULL },
  { "/dav.example/dav", 301, "https://dav.example/remote.php/dav/", NULL },
  { "/dav.example/remote.php/dav/", 401, NULL, NULL },
  { "/dav.example/.well-known/carddav", 301, "http://dav.example/remote.php/dav/", NULL },
  { "/dav.opendesk.example/.well-known/caldav", 301, "/dav/caldav/", NULL },
  { "/dav.opendesk.example/dav/caldav/", 401, NULL, NULL },
  { "/autoconfig.tls.example/mail/config-v1.1.xml", 200, NULL, UNTRUSTED_AUTOCONFIG },
};

/* A self-signed certificate for the untrusted server, made for this test only. */
static const char untrusted_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIByzCCAXGgAwIBAgIUYrxFeY4xVbNhjG+jzOYgxcRLHCYwCgYIKoZIzj0EAwIw\n"
  "ITEfMB0GA1UEAwwWYXV0b2NvbmZpZy50bHMuZXhhbXBsZTAgFw0yNjExMjcxNjQ2\n"
  "MThaGA8yMTI2MTEwMzE2NDYxOFowITEfMB0GA1UEAwwWYXV0b2NvbmZpZy50bHMu\n"
  "ZXhhbXBsZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABIwYDOw21ubpO61D7Ap8\n"
  "8Yqg+uiIYCWONnLnIhkpDfHtHQbsNntB9pGcBetJOdcqpLVg+tXSESrIvD+SUbW7\n"
  "lYqjgYQwgYEwHQYDVR0OBBYEFE+E5pDu0lMQoLoJ/hqcGhY7xgDWMB8GA1UdIwQY\n"
  "MBaAFE+E5pDu0lMQoLoJ/hqcGhY7xgDWMA8GA1UdEwEB/wQFMAMBAf8wLgYDVR0R\n"
  "BCcwJYIWYXV0b2NvbmZpZy50bHMuZXhhbXBsZYILdGxzLmV4YW1wbGUwCgYIKoZI\n"
  "zj0EAwIDSAAwRQIgGYV1UtJ5JMpUJ8WlFWiRUStYEAjA4mgxdTmeKnJ8K6kCIQC3\n"
  "Fo6qoNuvHJGfbTGETIStf8QVf6KU7B+ox4ehWTB5tw==\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg4K1au2cV2q0F3Cf8\n"
  "eEQ492kVUwtW11frqXJ3AALGYimhRANCAASMGAzsNtbm6TutQ+wKfPGKoProiGAl\n"
  "jjZy5yIZKQ3x7R0G7DZ7QfaRnAXrSTnXKqS1YPrV0hEqyLw/klG1u5WK\n"
  "-----END PRIVATE KEY-----\n";

/* The servers, started once for all cases. */
typedef struct
{
  SoupServer *http;
  SoupServer *https;
  GSocketService *tarpit;
  GSocketService *listener;
  GPtrArray *connections; /* held open by the tarpit and the listener */
  GPtrArray *requests;    /* "METHOD /HOST/PATH?QUERY" as the HTTP servers saw them */
  GResolver *resolver;
  guint16 http_port;
  guint16 https_port;
  guint16 tarpit_port;
  guint16 listener_port;
  guint16 closed_port;
} Harness;

static Harness harness;

/* A resolver that answers from the tables above. */

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static GList *
test_resolver_lookup_by_name (GResolver *resolver,
                              const char *hostname,
                              GCancellable *cancellable,
                              GError **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (known_hosts); i++)
    if (g_ascii_strcasecmp (hostname, known_hosts[i]) == 0)
      return g_list_prepend (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
  if (g_hostname_is_ip_address (hostname))
    return g_list_prepend (NULL, g_inet_address_new_from_string (hostname));
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "%s does not exist", hostname);
  return NULL;
}

static GList *
test_resolver_lookup_service (GResolver *resolver,
                              const char *rrname,
                              GCancellable *cancellable,
                              GError **error)
{
  GList *targets = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (srv_records); i++)
    if (g_str_equal (rrname, srv_records[i].rrname))
      targets =
        g_list_append (targets, g_srv_target_new (srv_records[i].target, srv_records[i].port,
                                                  srv_records[i].priority, 0));
  if (targets == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No SRV record %s", rrname);
  return targets;
}

static GList *
test_resolver_lookup_records (GResolver *resolver,
                              const char *rrname,
                              GResolverRecordType record_type,
                              GCancellable *cancellable,
                              GError **error)
{
  GList *records = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  for (guint i = 0; record_type == G_RESOLVER_RECORD_TXT && i < G_N_ELEMENTS (txt_records); i++)
    if (g_str_equal (rrname, txt_records[i][0]))
      {
        const char *strings[] = { txt_records[i][1], NULL };

        records = g_list_append (records, g_variant_ref_sink (g_variant_new ("(^as)", strings)));
      }
  if (records == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No record %s", rrname);
  return records;
}

/* The asynchronous calls answer in a later main loop iteration, as a real resolver does. */
static void
return_list (GResolver *resolver,
             GList *list,
             GDestroyNotify free_list,
             GError *error,
             GCancellable *cancellable,
             GAsyncReadyCallback callback,
             gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  if (list != NULL)
    g_task_return_pointer (task, list, free_list);
  else
    g_task_return_error (task, error);
}

static void
free_srv_targets (GList *targets)
{
  g_list_free_full (targets, (GDestroyNotify) g_srv_target_free);
}

static void
free_records (GList *records)
{
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);
}

static void
test_resolver_lookup_by_name_async (GResolver *resolver,
                                    const char *hostname,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  GError *error = NULL;
  GList *list = test_resolver_lookup_by_name (resolver, hostname, cancellable, &error);

  return_list (resolver, list, (GDestroyNotify) g_resolver_free_addresses, error, cancellable,
               callback, user_data);
}

static void
test_resolver_lookup_service_async (GResolver *resolver,
                                    const char *rrname,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  GError *error = NULL;
  GList *list = test_resolver_lookup_service (resolver, rrname, cancellable, &error);

  return_list (resolver, list, (GDestroyNotify) free_srv_targets, error, cancellable, callback,
               user_data);
}

static void
test_resolver_lookup_records_async (GResolver *resolver,
                                    const char *rrname,
                                    GResolverRecordType record_type,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  GError *error = NULL;
  GList *list = test_resolver_lookup_records (resolver, rrname, record_type, cancellable, &error);

  return_list (resolver, list, (GDestroyNotify) free_records, error, cancellable, callback,
               user_data);
}

static GList *
test_resolver_lookup_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_finish;
  resolver_class->lookup_service = test_resolver_lookup_service;
  resolver_class->lookup_service_async = test_resolver_lookup_service_async;
  resolver_class->lookup_service_finish = test_resolver_lookup_finish;
  resolver_class->lookup_records = test_resolver_lookup_records;
  resolver_class->lookup_records_async = test_resolver_lookup_records_async;
  resolver_class->lookup_records_finish = test_resolver_lookup_finish;
}

static void
test_resolver_init (TestResolver *self)
{
}

/* The servers. */

static void
server_cb (SoupServer *server,
           SoupServerMessage *message,
           const char *path,
           GHashTable *query,
           gpointer user_data)
{
  GUri *uri = soup_server_message_get_uri (message);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

  g_ptr_array_add (harness.requests,
                   g_strdup_printf ("%s %s%s%s", soup_server_message_get_method (message), path,
                                    g_uri_get_query (uri) ? "?" : "",
                                    g_uri_get_query (uri) ? g_uri_get_query (uri) : ""));

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      const Document *document = &documents[i];

      if (!g_str_equal (path, document->path))
        continue;
      soup_server_message_set_status (message, document->status, NULL);
      /* Relative, as many servers send it: soup_server_message_set_redirect() would
       * make it absolute with this server's own address. */
      if (document->location != NULL)
        soup_message_headers_replace (headers, "Location", document->location);
      if (document->status == SOUP_STATUS_UNAUTHORIZED)
        soup_message_headers_replace (headers, "WWW-Authenticate", "Basic realm=\"test\"");
      if (document->body != NULL)
        soup_server_message_set_response (message, "application/xml", SOUP_MEMORY_STATIC,
                                          document->body, strlen (document->body));
      return;
    }
  soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
}

static gboolean
hold_connection_cb (GSocketService *service,
                    GSocketConnection *connection,
                    GObject *source_object,
                    gpointer user_data)
{
  /* Accepted, and never answered. */
  g_ptr_array_add (harness.connections, g_object_ref (connection));
  return TRUE;
}

static GSocketService *
start_socket_service (guint16 *out_port)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) effective = NULL;
  GSocketService *service = g_socket_service_new ();

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (service, "incoming", G_CALLBACK (hold_connection_cb), NULL);
  g_socket_service_start (service);
  return service;
}

static guint16
server_port (SoupServer *server)
{
  GSList *uris = soup_server_get_uris (server);
  guint16 port;

  g_assert_nonnull (uris);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

static void
harness_start (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  GSocketService *closed;

  harness.connections = g_ptr_array_new_with_free_func (g_object_unref);
  harness.requests = g_ptr_array_new_with_free_func (g_free);
  harness.resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);

  harness.http = soup_server_new (NULL, NULL);
  soup_server_add_handler (harness.http, NULL, server_cb, NULL, NULL);
  soup_server_listen_local (harness.http, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  harness.http_port = server_port (harness.http);

  certificate = g_tls_certificate_new_from_pem (untrusted_pem, -1, &error);
  g_assert_no_error (error);
  harness.https = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (harness.https, NULL, server_cb, NULL, NULL);
  soup_server_listen_local (harness.https, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  harness.https_port = server_port (harness.https);

  harness.tarpit = start_socket_service (&harness.tarpit_port);
  harness.listener = start_socket_service (&harness.listener_port);

  /* A port nobody listens on: connections to it are refused at once. */
  closed = start_socket_service (&harness.closed_port);
  g_socket_service_stop (closed);
  g_socket_listener_close (G_SOCKET_LISTENER (closed));
  g_object_unref (closed);
}

static void
harness_stop (void)
{
  for (guint i = 0; i < harness.connections->len; i++)
    g_io_stream_close (g_ptr_array_index (harness.connections, i), NULL, NULL);
  g_clear_pointer (&harness.connections, g_ptr_array_unref);
  g_clear_pointer (&harness.requests, g_ptr_array_unref);
  soup_server_disconnect (harness.http);
  soup_server_disconnect (harness.https);
  g_clear_object (&harness.http);
  g_clear_object (&harness.https);
  g_socket_listener_close (G_SOCKET_LISTENER (harness.tarpit));
  g_socket_listener_close (G_SOCKET_LISTENER (harness.listener));
  g_clear_object (&harness.tarpit);
  g_clear_object (&harness.listener);
  g_clear_object (&harness.resolver);
}

/* Every URL goes to one of the test's servers, its host moved into the path; every
 * "host:port" to the listener when the table says so, else to the closed port. */
static char *
rewrite_cb (const char *uri, gpointer user_data)
{
  static const char *const listening[] = {
    "mail.opendesk.example:993",
    "opendesk.example:993",
    "opendesk.example:587",
  };
  g_autoptr (GUri) parsed = NULL;
  const char *host;
  guint16 port;

  if (strstr (uri, "://") == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (listening); i++)
        if (g_str_equal (uri, listening[i]))
          return g_strdup_printf ("127.0.0.1:%u", harness.listener_port);
      return g_strdup_printf ("127.0.0.1:%u", harness.closed_port);
    }

  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  g_assert_nonnull (parsed);
  g_assert_cmpstr (g_uri_get_scheme (parsed), ==, "https");
  host = g_uri_get_host (parsed);
  if (g_str_has_suffix (host, "tarpit.example"))
    port = harness.tarpit_port;
  else if (g_str_has_suffix (host, "tls.example"))
    port = harness.https_port;
  else
    port = harness.http_port;
  return g_strdup_printf ("%s://127.0.0.1:%u/%s%s%s%s",
                          port == harness.https_port ? "https" : "http", port, host,
                          g_uri_get_path (parsed), g_uri_get_query (parsed) ? "?" : "",
                          g_uri_get_query (parsed) ? g_uri_get_query (parsed) : "");
}

static KontorDiscovery *
new_discovery (void)
{
  KontorDiscovery *discovery = kontor_discovery_new ();

  kontor_discovery_set_resolver (discovery, harness.resolver);
  kontor_discovery_set_rewrite_func (discovery, rewrite_cb, NULL, NULL);
  g_ptr_array_set_size (harness.requests, 0);
  return discovery;
}

static void
store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static KontorAccountSettings *
discover (KontorDiscovery *discovery,
          const char *email,
          const char *preset,
          GCancellable *cancellable,
          GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  kontor_discovery_discover_async (discovery, email, preset, cancellable, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kontor_discovery_discover_finish (discovery, result, error);
}

static gboolean
was_requested (const char *request)
{
  for (guint i = 0; i < harness.requests->len; i++)
    if (g_str_equal (g_ptr_array_index (harness.requests, i), request))
      return TRUE;
  return FALSE;
}

/* The cases. */

static void
test_autoconfig (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;

  settings = discover (discovery, "jane.doe@example.org", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (was_requested ("GET /autoconfig.example.org/mail/config-v1.1.xml"
                                "?emailaddress=jane.doe%40example.org"));
  g_assert_true (was_requested ("GET /example.org/.well-known/autoconfig/mail/config-v1.1.xml"
                                "?emailaddress=jane.doe%40example.org"));

  /* Implicit TLS over the STARTTLS server listed first; SRV loses to autoconfig. */
  g_assert_cmpstr (settings->origin, ==, "autoconfig");
  g_assert_cmpstr (settings->email, ==, "jane.doe@example.org");
  g_assert_cmpstr (settings->imap_host, ==, "imap.example.org");
  g_assert_cmpuint (settings->imap_port, ==, 993);
  g_assert_cmpint (settings->imap_security, ==, KONTOR_SECURITY_TLS);
  g_assert_cmpstr (settings->username, ==, "jane.doe");
  /* Plain text to a remote host and OAuth2-only are skipped. */
  g_assert_cmpstr (settings->smtp_host, ==, "smtp.example.org");
  g_assert_cmpuint (settings->smtp_port, ==, 587);
  g_assert_cmpint (settings->smtp_security, ==, KONTOR_SECURITY_STARTTLS);
  g_assert_cmpstr (settings->caldav_url, ==, "https://example.org/dav/calendars/");
  g_assert_cmpstr (settings->carddav_url, ==, "https://example.org/dav/contacts/");
  g_assert_null (settings->webdav_url);
  g_assert_true (kontor_account_settings_validate (settings, NULL));

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_autoconfig_well_known (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;

  settings = discover (discovery, "Joe@WellKnown.example", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->origin, ==, "autoconfig");
  g_assert_cmpstr (settings->imap_host, ==, "mail.wellknown.example");
  g_assert_cmpuint (settings->imap_port, ==, 143);
  g_assert_cmpint (settings->imap_security, ==, KONTOR_SECURITY_STARTTLS);
  g_assert_cmpstr (settings->smtp_host, ==, "mail.wellknown.example");
  g_assert_cmpuint (settings->smtp_port, ==, 465);
  g_assert_cmpint (settings->smtp_security, ==, KONTOR_SECURITY_TLS);
  g_assert_cmpstr (settings->username, ==, "Joe@WellKnown.example");
  g_assert_null (settings->caldav_url);
  g_assert_null (settings->carddav_url);

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_autoconfig_malformed (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;

  settings = discover (discovery, "ann@malformed.example", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (was_requested ("GET /autoconfig.malformed.example/mail/config-v1.1.xml"
                                "?emailaddress=ann%40malformed.example"));
  g_assert_cmpstr (settings->origin, ==, "srv");
  g_assert_cmpstr (settings->imap_host, ==, "mail.malformed.example");
  g_assert_cmpstr (settings->smtp_host, ==, "mail.malformed.example");
  g_assert_cmpstr (settings->username, ==, "ann@malformed.example");

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_autoconfig_untrusted (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend");
      return;
    }

  settings = discover (discovery, "kim@tls.example", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (was_requested ("GET /autoconfig.tls.example/mail/config-v1.1.xml"
                                 "?emailaddress=kim%40tls.example"));
  g_assert_cmpstr (settings->origin, ==, "srv");
  g_assert_cmpstr (settings->imap_host, ==, "mail.tls.example");

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_srv (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;

  settings = discover (discovery, "bob@srv.example", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->origin, ==, "srv");
  /* Lowest priority first; "." says the service is not offered. */
  g_assert_cmpstr (settings->imap_host, ==, "imap.srv.example");
  g_assert_cmpuint (settings->imap_port, ==, 993);
  g_assert_cmpint (settings->imap_security, ==, KONTOR_SECURITY_TLS);
  g_assert_cmpstr (settings->smtp_host, ==, "smtp.srv.example");
  g_assert_cmpuint (settings->smtp_port, ==, 587);
  g_assert_cmpint (settings->smtp_security, ==, KONTOR_SECURITY_STARTTLS);
  g_assert_cmpstr (settings->username, ==, "bob@srv.example");
  /* CalDAV from SRV + TXT path; CardDAV from SRV and the target's well-known URL. */
  g_assert_cmpstr (settings->caldav_url, ==, "https://dav.srv.example:8443/cal/");
  g_assert_cmpstr (settings->carddav_url, ==, "https://dav.srv.example/contacts/");
  g_assert_true (was_requested ("PROPFIND /dav.srv.example/.well-known/carddav"));

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_well_known_dav (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;

  settings = discover (discovery, "cat@dav.example", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->origin, ==, "well-known");
  g_assert_null (settings->imap_host);
  g_assert_null (settings->smtp_host);
  /* Two redirects followed to where the DAV server asks to log in. */
  g_assert_cmpstr (settings->caldav_url, ==, "https://dav.example/remote.php/dav/");
  /* A redirect to plain http is not followed. */
  g_assert_null (settings->carddav_url);
  g_assert_true (was_requested ("PROPFIND /dav.example/remote.php/dav/"));

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_guess (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;

  settings = discover (discovery, "dan@guess.example", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->origin, ==, "guess");
  g_assert_cmpstr (settings->imap_host, ==, "imap.guess.example");
  g_assert_cmpuint (settings->imap_port, ==, 993);
  g_assert_cmpstr (settings->smtp_host, ==, "smtp.guess.example");
  g_assert_cmpuint (settings->smtp_port, ==, 587);

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_opendesk (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;
  guint before = harness.connections->len;

  settings = discover (discovery, "eve.smith@opendesk.example", "opendesk", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->origin, ==, "opendesk");
  /* imap. does not resolve; mail. answers and comes before the domain, which also does. */
  g_assert_cmpstr (settings->imap_host, ==, "mail.opendesk.example");
  g_assert_cmpuint (settings->imap_port, ==, 993);
  g_assert_cmpint (settings->imap_security, ==, KONTOR_SECURITY_TLS);
  /* mail. refuses on 587: the domain answers. */
  g_assert_cmpstr (settings->smtp_host, ==, "opendesk.example");
  g_assert_cmpuint (settings->smtp_port, ==, 587);
  g_assert_cmpint (settings->smtp_security, ==, KONTOR_SECURITY_STARTTLS);
  g_assert_cmpstr (settings->username, ==, "eve.smith");
  g_assert_cmpstr (settings->dav_username, ==, "eve.smith@opendesk.example");
  g_assert_cmpstr (settings->caldav_url, ==, "https://dav.opendesk.example/dav/caldav/");
  g_assert_cmpstr (settings->carddav_url, ==, "https://dav.opendesk.example/carddav/");
  g_assert_cmpstr (settings->webdav_url, ==,
                   "https://files.opendesk.example/remote.php/dav/files/eve.smith/");
  g_assert_true (kontor_account_settings_validate (settings, NULL));
  g_assert_cmpuint (harness.connections->len, >, before);

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_opendesk_unreachable (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;

  /* Nothing answers: the derived settings, for verification to report on. */
  settings = discover (discovery, "x@quiet.example", "opendesk", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (settings->origin, ==, "opendesk");
  g_assert_cmpstr (settings->imap_host, ==, "quiet.example");
  g_assert_cmpstr (settings->smtp_host, ==, "quiet.example");
  g_assert_cmpstr (settings->caldav_url, ==, "https://dav.quiet.example/caldav/");
  g_assert_cmpstr (settings->carddav_url, ==, "https://dav.quiet.example/carddav/");
  g_assert_cmpstr (settings->webdav_url, ==, "https://files.quiet.example/remote.php/dav/files/x/");

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_invalid (void)
{
  static const char *const invalid[] = { "",    "not-an-address",  "@example.org",
                                         "a@b", "a b@example.org", "a@example.org." };
  g_autoptr (KontorDiscovery) discovery = new_discovery ();

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KontorAccountSettings) settings =
        discover (discovery, invalid[i], NULL, NULL, &error);

      g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
      g_assert_null (settings);
    }

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (KontorAccountSettings) settings =
      discover (discovery, "jane@example.org", "exchange", NULL, &error);

    g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT);
    g_assert_null (settings);
  }
  g_assert_cmpuint (harness.requests->len, ==, 0);

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_not_found (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;

  settings = discover (discovery, "fred@empty.example", NULL, NULL, &error);
  g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND);
  g_assert_null (settings);

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_unknown_domain (void)
{
  static const char *const presets[] = { NULL, "opendesk" };
  g_autoptr (KontorDiscovery) discovery = new_discovery ();

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KontorAccountSettings) settings =
        discover (discovery, "g@nowhere.invalid", presets[i], NULL, &error);

      g_assert_error (error, KONTOR_ERROR, KONTOR_ERROR_HOST_NOT_FOUND);
      g_assert_null (settings);
    }

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;
  gint64 start = g_get_monotonic_time ();

  /* The tarpit keeps the HTTP requests waiting for the whole timeout (5 s). */
  g_timeout_add (200, cancel_cb, cancellable);
  settings = discover (discovery, "h@tarpit.example", NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (settings);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* Cancelled before it starts. */
  g_clear_error (&error);
  settings = discover (discovery, "jane@example.org", "opendesk", cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (settings);

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

static void
test_tarpit (void)
{
  g_autoptr (KontorDiscovery) discovery = new_discovery ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KontorAccountSettings) settings = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  g_object_set (discovery, "timeout", 1, NULL);
  settings = discover (discovery, "h@tarpit.example", NULL, NULL, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_cmpstr (settings->origin, ==, "srv");
  g_assert_cmpstr (settings->imap_host, ==, "mail.tarpit.example");
  g_assert_null (settings->caldav_url);
  /* One second per request, two for the whole discovery, and some slack. */
  g_test_message ("Discovery against the tarpit took %" G_GINT64_FORMAT " ms", elapsed / 1000);
  g_assert_cmpint (elapsed, <, 4 * G_USEC_PER_SEC);

  g_assert_finalize_object (g_steal_pointer (&discovery));
}

int
main (int argc, char **argv)
{
  int status;

  /* Requests to 127.0.0.1 must not go through a proxy of the machine running the test. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_unsetenv ("HTTP_PROXY");
  g_unsetenv ("HTTPS_PROXY");
  g_unsetenv ("all_proxy");
  g_unsetenv ("ALL_PROXY");

  g_test_init (&argc, &argv, NULL);

  harness_start ();

  g_test_add_func ("/kontor/discovery/autoconfig", test_autoconfig);
  g_test_add_func ("/kontor/discovery/autoconfig-well-known", test_autoconfig_well_known);
  g_test_add_func ("/kontor/discovery/autoconfig-malformed", test_autoconfig_malformed);
  g_test_add_func ("/kontor/discovery/autoconfig-untrusted", test_autoconfig_untrusted);
  g_test_add_func ("/kontor/discovery/srv", test_srv);
  g_test_add_func ("/kontor/discovery/well-known-dav", test_well_known_dav);
  g_test_add_func ("/kontor/discovery/guess", test_guess);
  g_test_add_func ("/kontor/discovery/opendesk", test_opendesk);
  g_test_add_func ("/kontor/discovery/opendesk-unreachable", test_opendesk_unreachable);
  g_test_add_func ("/kontor/discovery/invalid", test_invalid);
  g_test_add_func ("/kontor/discovery/not-found", test_not_found);
  g_test_add_func ("/kontor/discovery/unknown-domain", test_unknown_domain);
  g_test_add_func ("/kontor/discovery/cancel", test_cancel);
  g_test_add_func ("/kontor/discovery/tarpit", test_tarpit);

  status = g_test_run ();
  harness_stop ();
  return status;
}
