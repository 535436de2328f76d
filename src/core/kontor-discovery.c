/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-discovery.c: finds an account's IMAP, SMTP and DAV settings from its e-mail
 * address, asking only the user's own domain and never a third party. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "kontor-discovery.h"
#include "kontor-error.h"

/* Seconds: per request by default; the whole discovery takes at most twice the
 * request timeout, the openDesk TCP probes at most PROBE_TIMEOUT. */
#define DEFAULT_TIMEOUT     5
#define PROBE_TIMEOUT       3
#define MAX_REDIRECTS       5
#define MAX_AUTOCONFIG_SIZE (64 * 1024)

/* Depth 0 PROPFIND: a DAV server answers 207 or asks to authenticate (401), where a
 * web server that only redirects everything to its home page answers 405 or 404. */
#define PROPFIND_BODY                                                              \
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>"                                     \
  "<propfind xmlns=\"DAV:\"><prop><resourcetype/><current-user-principal/></prop>" \
  "</propfind>"

struct _KontorDiscovery
{
  GObject parent_instance;

  /* Owned */
  SoupSession *session;
  GSocketClient *socket_client;
  GResolver *resolver;
  KontorDiscoveryRewriteFunc rewrite_func;
  gpointer rewrite_data;
  GDestroyNotify rewrite_destroy;
  guint timeout;
};

G_DEFINE_FINAL_TYPE (KontorDiscovery, kontor_discovery, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TIMEOUT,
  PROP_RESOLVER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  MAIL_IMAP,
  MAIL_SMTP,
  N_MAIL
} MailService;

typedef enum
{
  DAV_CALDAV,
  DAV_CARDDAV,
  N_DAV
} DavService;

/* Where a DAV URL came from, best first (RFC 6764, section 6). */
typedef enum
{
  DAV_FROM_SRV_TXT,
  DAV_FROM_SRV_WELL_KNOWN,
  DAV_FROM_WELL_KNOWN,
  DAV_FROM_SRV_ROOT,
  N_DAV_FROM
} DavFrom;

typedef enum
{
  PROBE_PENDING,
  PROBE_CONNECTED,
  PROBE_FAILED,
  PROBE_NOT_FOUND,
} ProbeState;

#define N_AUTOCONFIG 2
#define N_CANDIDATES 3

static const char *const dav_names[N_DAV] = { "caldav", "carddav" };

typedef struct
{
  char *host;
  guint16 port;
  KontorSecurity security;
  char *username; /* autoconfig only; NULL means the e-mail address */
} Server;

/* The openDesk candidates for one service, probed at once, picked in order. */
typedef struct
{
  GCancellable *cancellable;
  char *hosts[N_CANDIDATES];
  ProbeState states[N_CANDIDATES];
  guint16 port;
} ProbeGroup;

typedef struct
{
  GTask *task; /* unowned: the task owns the run */
  char *email;
  char *local_part;
  char *domain;
  gboolean opendesk;

  /* Cancelled by the caller's cancellable (through cancelled_source) and by the deadline */
  GCancellable *cancellable;
  GSource *cancelled_source;
  GSource *deadline_source;
  GSource *probe_deadline_source;
  guint pending;

  Server *autoconfig[N_AUTOCONFIG][N_MAIL];
  Server *srv[N_MAIL][2]; /* implicit TLS (RFC 8314), then STARTTLS (RFC 6186) */
  gboolean guess_resolves[N_MAIL];
  gboolean domain_not_found;
  char *dav[N_DAV][N_DAV_FROM];
  ProbeGroup groups[N_MAIL];
} Run;

/* One step of a discovery: holds the discovery's task until it calls op_done(). */
typedef struct
{
  GTask *task;
  guint service;
  guint index;
  char *host;
  guint16 port;
  GList *addresses;
  GList *next_address;
} Op;

static void
server_free (Server *server)
{
  if (server == NULL)
    return;
  g_free (server->host);
  g_free (server->username);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static Server *
server_new (const char *host, guint16 port, KontorSecurity security)
{
  Server *server = g_new0 (Server, 1);

  server->host = g_strdup (host);
  server->port = port;
  server->security = security;
  return server;
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
run_free (Run *run)
{
  destroy_source (&run->cancelled_source);
  destroy_source (&run->deadline_source);
  destroy_source (&run->probe_deadline_source);
  g_clear_object (&run->cancellable);
  for (guint i = 0; i < N_MAIL; i++)
    {
      for (guint j = 0; j < N_AUTOCONFIG; j++)
        server_free (run->autoconfig[j][i]);
      server_free (run->srv[i][0]);
      server_free (run->srv[i][1]);
      g_clear_object (&run->groups[i].cancellable);
      for (guint j = 0; j < N_CANDIDATES; j++)
        g_free (run->groups[i].hosts[j]);
    }
  for (guint i = 0; i < N_DAV; i++)
    for (guint j = 0; j < N_DAV_FROM; j++)
      g_free (run->dav[i][j]);
  g_free (run->email);
  g_free (run->local_part);
  g_free (run->domain);
  g_free (run);
}

static void
run_cancel (Run *run)
{
  g_cancellable_cancel (run->cancellable);
  for (guint i = 0; i < N_MAIL; i++)
    if (run->groups[i].cancellable != NULL)
      g_cancellable_cancel (run->groups[i].cancellable);
}

static char *
rewrite (KontorDiscovery *self, const char *uri)
{
  char *rewritten = NULL;

  if (self->rewrite_func != NULL)
    rewritten = self->rewrite_func (uri, self->rewrite_data);
  if (rewritten == NULL)
    return g_strdup (uri);
  g_debug ("Discovery: %s goes to %s", uri, rewritten);
  return rewritten;
}

/* "https://host" or "https://host:port", without the default port. */
static char *
https_base (const char *host, guint16 port)
{
  if (port == 0 || port == 443)
    return g_strdup_printf ("https://%s", host);
  return g_strdup_printf ("https://%s:%u", host, port);
}

static gboolean
url_is_secure (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 &&
         kontor_host_is_local (g_uri_get_host (uri));
}

/* HTTP: one request, its redirects followed by hand so that every hop goes through
 * the rewrite seam and none leaves https, and its body read up to a limit. */

typedef struct
{
  char *method;
  char *url; /* the current URL as the user's domain names it, not as rewritten */
  guint redirects;
  guint status;
  gsize max_body;
  guint8 *buffer;
  gsize n_read;
  GInputStream *stream;
  GError *error;
  gboolean follow; /* the stream is being closed to follow a redirect */
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_free (fetch->method);
  g_free (fetch->url);
  g_free (fetch->buffer);
  g_clear_object (&fetch->stream);
  g_clear_error (&fetch->error);
  g_free (fetch);
}

static void fetch_send (GTask *task);

static void
fetch_closed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);

  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
  g_clear_object (&fetch->stream);

  if (fetch->error != NULL)
    {
      g_debug ("Discovery: %s %s: %s", fetch->method, fetch->url, fetch->error->message);
      g_task_return_error (task, g_steal_pointer (&fetch->error));
    }
  else if (g_task_return_error_if_cancelled (task))
    return;
  else if (fetch->follow)
    {
      fetch->follow = FALSE;
      fetch_send (g_steal_pointer (&task));
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void
fetch_close (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_input_stream_close_async (fetch->stream, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                              fetch_closed_cb, task);
}

static void
fetch_read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);

  if (g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &fetch->n_read,
                                      &fetch->error) &&
      fetch->n_read > fetch->max_body)
    g_set_error (&fetch->error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                 "The answer of %s is larger than %" G_GSIZE_FORMAT " bytes", fetch->url,
                 fetch->max_body);
  fetch_close (task);
}

static void
fetch_sent_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SoupSession *session = SOUP_SESSION (object);
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (session, result);
  g_autoptr (GError) error = NULL;
  const char *location;

  fetch->stream = soup_session_send_finish (session, result, &error);
  if (fetch->stream == NULL)
    {
      g_debug ("Discovery: %s %s failed: %s", fetch->method, fetch->url, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  fetch->status = soup_message_get_status (message);
  location = soup_message_headers_get_one (soup_message_get_response_headers (message), "Location");
  g_debug ("Discovery: %s %s answered %u%s%s", fetch->method, fetch->url, fetch->status,
           location ? " to " : "", location ? location : "");

  if (SOUP_STATUS_IS_REDIRECTION (fetch->status) && fetch->status != SOUP_STATUS_NOT_MODIFIED &&
      location != NULL)
    {
      char *next =
        g_uri_resolve_relative (fetch->url, location, G_URI_FLAGS_ENCODED, &fetch->error);

      if (next != NULL && !url_is_secure (next))
        g_set_error (&fetch->error, KONTOR_ERROR, KONTOR_ERROR_TLS_REQUIRED,
                     "%s redirects to %s, which is not https", fetch->url, next);
      else if (next != NULL && fetch->redirects >= MAX_REDIRECTS)
        g_set_error (&fetch->error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                     "%s redirects more than %u times", fetch->url, MAX_REDIRECTS);
      if (fetch->error == NULL)
        {
          g_free (fetch->url);
          fetch->url = next;
          fetch->redirects++;
          fetch->follow = TRUE;
        }
      else
        g_free (next);
    }
  else if (fetch->max_body > 0 && SOUP_STATUS_IS_SUCCESSFUL (fetch->status))
    {
      /* One byte more than allowed tells a body that is too large. */
      fetch->buffer = g_malloc (fetch->max_body + 1);
      g_input_stream_read_all_async (fetch->stream, fetch->buffer, fetch->max_body + 1,
                                     G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                     fetch_read_cb, task);
      return;
    }
  fetch_close (task);
}

static void
fetch_send (GTask *task)
{
  KontorDiscovery *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *target = rewrite (self, fetch->url);
  g_autoptr (SoupMessage) message = soup_message_new (fetch->method, target);

  if (message == NULL)
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                               "“%s” is not a valid URL", target);
      g_object_unref (task);
      return;
    }

  g_debug ("Discovery: %s %s", fetch->method, fetch->url);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  if (g_str_equal (fetch->method, "PROPFIND"))
    {
      g_autoptr (GBytes) body = g_bytes_new_static (PROPFIND_BODY, strlen (PROPFIND_BODY));

      soup_message_headers_replace (soup_message_get_request_headers (message), "Depth", "0");
      soup_message_set_request_body_from_bytes (message, "application/xml; charset=utf-8", body);
    }
  soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), fetch_sent_cb, task);
}

/* Calls back with a task whose data is the Fetch, for fetch_finish() to lend. */
static void
fetch_async (KontorDiscovery *self,
             const char *method,
             const char *url,
             gsize max_body,
             GCancellable *cancellable,
             GAsyncReadyCallback callback,
             gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  g_task_set_source_tag (task, fetch_async);
  fetch->method = g_strdup (method);
  fetch->url = g_strdup (url);
  fetch->max_body = max_body;
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  fetch_send (task);
}

static Fetch *
fetch_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, fetch_async), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_task_get_task_data (G_TASK (result));
}

/* Mozilla autoconfig (clientConfig version 1.1), read with GMarkup. */

typedef struct
{
  Run *run;
  Server *server; /* the incomingServer/outgoingServer being read, if it is IMAP or SMTP */
  MailService service;
  gboolean security_known;
  gboolean any_auth;
  gboolean password_auth;
  GString *text;
  GPtrArray *servers[N_MAIL];
} Autoconfig;

static char *
substitute (Run *run, const char *text)
{
  GString *string = g_string_new (text);

  g_string_replace (string, "%EMAILADDRESS%", run->email, 0);
  g_string_replace (string, "%EMAILLOCALPART%", run->local_part, 0);
  g_string_replace (string, "%EMAILDOMAIN%", run->domain, 0);
  return g_string_free (string, FALSE);
}

static void
autoconfig_start_element (GMarkupParseContext *context,
                          const char *element_name,
                          const char **attribute_names,
                          const char **attribute_values,
                          gpointer user_data,
                          GError **error)
{
  Autoconfig *parser = user_data;
  const GSList *stack = g_markup_parse_context_get_element_stack (context);
  const char *parent = stack->next != NULL ? stack->next->data : NULL;
  gboolean incoming = g_str_equal (element_name, "incomingServer");
  const char *type = NULL;

  g_string_truncate (parser->text, 0);

  if (parent == NULL && !g_str_equal (element_name, "clientConfig"))
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                   "The document is a <%s>, not a <clientConfig>", element_name);
      return;
    }
  if ((!incoming && !g_str_equal (element_name, "outgoingServer")) ||
      g_strcmp0 (parent, "emailProvider") != 0)
    return;

  for (guint i = 0; attribute_names[i] != NULL; i++)
    if (g_str_equal (attribute_names[i], "type"))
      type = attribute_values[i];

  /* POP3, Exchange and the rest are not for Kontor. */
  if (g_strcmp0 (type, incoming ? "imap" : "smtp") != 0)
    return;

  g_clear_pointer (&parser->server, server_free);
  parser->server = server_new (NULL, 0, KONTOR_SECURITY_TLS);
  parser->service = incoming ? MAIL_IMAP : MAIL_SMTP;
  parser->security_known = FALSE;
  parser->any_auth = FALSE;
  parser->password_auth = FALSE;
}

static gboolean
server_is_usable (Autoconfig *parser)
{
  const char *host = parser->server->host;

  if (host == NULL || *host == '\0' || strpbrk (host, " /?#@") != NULL ||
      parser->server->port == 0 || !parser->security_known)
    return FALSE;
  /* Kontor logs in with a password; a server that only takes OAuth2 or Kerberos is
   * not one it can use. */
  if (parser->any_auth && !parser->password_auth)
    return FALSE;
  return parser->server->security != KONTOR_SECURITY_NONE || kontor_host_is_local (host);
}

static void
autoconfig_end_element (GMarkupParseContext *context,
                        const char *element_name,
                        gpointer user_data,
                        GError **error)
{
  Autoconfig *parser = user_data;
  Server *server = parser->server;
  const GSList *stack = g_markup_parse_context_get_element_stack (context);
  const char *parent = stack->next != NULL ? stack->next->data : NULL;
  g_autofree char *text = g_strstrip (g_strdup (parser->text->str));
  guint64 port;

  if (server == NULL)
    return;

  if (g_str_equal (element_name, "incomingServer") || g_str_equal (element_name, "outgoingServer"))
    {
      if (server_is_usable (parser))
        g_ptr_array_add (parser->servers[parser->service], g_steal_pointer (&parser->server));
      else
        g_debug ("Discovery: autoconfig names %s:%u, which Kontor cannot use",
                 server->host ? server->host : "", server->port);
      g_clear_pointer (&parser->server, server_free);
      return;
    }
  if (g_strcmp0 (parent, "incomingServer") != 0 && g_strcmp0 (parent, "outgoingServer") != 0)
    return;

  if (g_str_equal (element_name, "hostname"))
    {
      g_free (server->host);
      server->host = substitute (parser->run, text);
    }
  else if (g_str_equal (element_name, "port"))
    {
      if (g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &port, NULL))
        server->port = (guint16) port;
    }
  else if (g_str_equal (element_name, "socketType"))
    {
      parser->security_known = TRUE;
      if (g_ascii_strcasecmp (text, "SSL") == 0)
        server->security = KONTOR_SECURITY_TLS;
      else if (g_ascii_strcasecmp (text, "STARTTLS") == 0)
        server->security = KONTOR_SECURITY_STARTTLS;
      else if (g_ascii_strcasecmp (text, "plain") == 0)
        server->security = KONTOR_SECURITY_NONE;
      else
        parser->security_known = FALSE;
    }
  else if (g_str_equal (element_name, "username"))
    {
      g_free (server->username);
      server->username = *text != '\0' ? substitute (parser->run, text) : NULL;
    }
  else if (g_str_equal (element_name, "authentication"))
    {
      parser->any_auth = TRUE;
      if (g_str_equal (text, "password-cleartext") || g_str_equal (text, "password-encrypted") ||
          g_str_equal (text, "plain") || g_str_equal (text, "secure"))
        parser->password_auth = TRUE;
    }
}

static void
autoconfig_text (GMarkupParseContext *context,
                 const char *text,
                 gsize text_len,
                 gpointer user_data,
                 GError **error)
{
  Autoconfig *parser = user_data;

  g_string_append_len (parser->text, text, text_len);
}

/* IMAP: implicit TLS before STARTTLS; SMTP: as the provider ordered them; plain text
 * only ever for this computer. */
static Server *
autoconfig_pick (GPtrArray *servers, MailService service)
{
  static const KontorSecurity imap_order[] = { KONTOR_SECURITY_TLS, KONTOR_SECURITY_STARTTLS,
                                               KONTOR_SECURITY_NONE };

  for (guint i = 0; i < G_N_ELEMENTS (imap_order); i++)
    for (guint j = 0; j < servers->len; j++)
      {
        Server *server = g_ptr_array_index (servers, j);

        if ((service == MAIL_IMAP && server->security == imap_order[i]) ||
            (service == MAIL_SMTP && (i == 0) == (server->security != KONTOR_SECURITY_NONE)))
          return g_ptr_array_steal_index (servers, j);
      }
  return NULL;
}

static gboolean
autoconfig_parse (Run *run,
                  const char *data,
                  gsize length,
                  Server **imap,
                  Server **smtp,
                  GError **error)
{
  static const GMarkupParser markup_parser = {
    autoconfig_start_element, autoconfig_end_element, autoconfig_text, NULL, NULL,
  };
  Autoconfig parser = { .run = run };
  g_autoptr (GMarkupParseContext) context = NULL;
  gboolean ok;

  parser.text = g_string_new (NULL);
  for (guint i = 0; i < N_MAIL; i++)
    parser.servers[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) server_free);

  context =
    g_markup_parse_context_new (&markup_parser, G_MARKUP_PREFIX_ERROR_POSITION, &parser, NULL);
  ok = g_markup_parse_context_parse (context, data, length, error) &&
       g_markup_parse_context_end_parse (context, error);
  if (ok)
    {
      *imap = autoconfig_pick (parser.servers[MAIL_IMAP], MAIL_IMAP);
      *smtp = autoconfig_pick (parser.servers[MAIL_SMTP], MAIL_SMTP);
    }

  server_free (parser.server);
  g_string_free (parser.text, TRUE);
  for (guint i = 0; i < N_MAIL; i++)
    g_ptr_array_unref (parser.servers[i]);
  return ok;
}

/* The steps of a discovery. */

static void run_complete (GTask *task);

static Op *
op_new (GTask *task, guint service, guint index)
{
  Op *op = g_new0 (Op, 1);

  op->task = g_object_ref (task);
  op->service = service;
  op->index = index;
  ((Run *) g_task_get_task_data (task))->pending++;
  return op;
}

static void
op_done (Op *op)
{
  Run *run = g_task_get_task_data (op->task);

  g_assert (run->pending > 0);
  if (--run->pending == 0)
    run_complete (op->task);

  g_object_unref (op->task);
  g_free (op->host);
  g_resolver_free_addresses (op->addresses);
  g_free (op);
}

static KontorDiscovery *
op_get_discovery (Op *op)
{
  return g_task_get_source_object (op->task);
}

static Run *
op_get_run (Op *op)
{
  return g_task_get_task_data (op->task);
}

static void
autoconfig_fetched_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Op *op = user_data;
  Run *run = op_get_run (op);
  g_autoptr (GError) error = NULL;
  Fetch *fetch = fetch_finish (result, &error);

  if (fetch != NULL && fetch->status == SOUP_STATUS_OK)
    {
      Server **found = run->autoconfig[op->index];

      if (!autoconfig_parse (run, (const char *) fetch->buffer, fetch->n_read, &found[MAIL_IMAP],
                             &found[MAIL_SMTP], &error))
        g_debug ("Discovery: ignoring the autoconfig at %s: %s", fetch->url, error->message);
      else
        g_debug ("Discovery: autoconfig at %s names IMAP %s, SMTP %s", fetch->url,
                 found[MAIL_IMAP] ? found[MAIL_IMAP]->host : "(none)",
                 found[MAIL_SMTP] ? found[MAIL_SMTP]->host : "(none)");
    }
  op_done (op);
}

static void
start_autoconfig (GTask *task, guint index, const char *url_format)
{
  Run *run = g_task_get_task_data (task);
  g_autofree char *escaped = g_uri_escape_string (run->email, NULL, FALSE);
  g_autofree char *url = g_strdup_printf (url_format, run->domain, escaped);
  Op *op = op_new (task, 0, index);

  fetch_async (g_task_get_source_object (task), "GET", url, MAX_AUTOCONFIG_SIZE, run->cancellable,
               autoconfig_fetched_cb, op);
}

/* The first usable target of an SRV lookup, in priority and weight order; NULL when
 * there is none or the service is explicitly not offered (target "."). */
static GSrvTarget *
srv_lookup_finish (GResolver *resolver, GAsyncResult *result, const char *what)
{
  g_autoptr (GError) error = NULL;
  GList *targets = g_resolver_lookup_service_finish (resolver, result, &error);
  GSrvTarget *target = NULL;

  if (error != NULL)
    {
      g_debug ("Discovery: no SRV record %s: %s", what, error->message);
      return NULL;
    }
  targets = g_srv_target_list_sort (targets);
  if (targets != NULL && !g_str_equal (g_srv_target_get_hostname (targets->data), "."))
    target = g_srv_target_copy (targets->data);
  g_list_free_full (targets, (GDestroyNotify) g_srv_target_free);
  g_debug ("Discovery: SRV %s is %s:%u", what, target ? g_srv_target_get_hostname (target) : ".",
           target ? g_srv_target_get_port (target) : 0);
  return target;
}

/* DNS names may end in the root's dot; hosts in settings do not. */
static char *
srv_target_dup_host (GSrvTarget *target)
{
  const char *hostname = g_srv_target_get_hostname (target);
  gsize length = strlen (hostname);

  if (length > 1 && hostname[length - 1] == '.')
    length--;
  return g_ascii_strdown (hostname, length);
}

static void
mail_srv_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  static const char *const names[N_MAIL][2] = { { "_imaps._tcp", "_imap._tcp" },
                                                { "_submissions._tcp", "_submission._tcp" } };
  Op *op = user_data;
  Run *run = op_get_run (op);
  g_autofree char *what = g_strdup_printf ("%s.%s", names[op->service][op->index], run->domain);
  GSrvTarget *target = srv_lookup_finish (G_RESOLVER (object), result, what);

  if (target != NULL && g_srv_target_get_port (target) != 0)
    {
      g_autofree char *host = srv_target_dup_host (target);

      run->srv[op->service][op->index] =
        server_new (host, g_srv_target_get_port (target),
                    op->index == 0 ? KONTOR_SECURITY_TLS : KONTOR_SECURITY_STARTTLS);
    }
  g_clear_pointer (&target, g_srv_target_free);
  op_done (op);
}

static void
start_mail_srv (GTask *task, MailService service, guint index)
{
  static const char *const services[N_MAIL][2] = { { "imaps", "imap" },
                                                   { "submissions", "submission" } };
  KontorDiscovery *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Op *op = op_new (task, service, index);

  g_resolver_lookup_service_async (self->resolver, services[service][index], "tcp", run->domain,
                                   run->cancellable, mail_srv_cb, op);
}

static void
guess_resolved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Op *op = user_data;
  Run *run = op_get_run (op);
  g_autoptr (GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);

  if (addresses != NULL)
    g_debug ("Discovery: %s resolves", op->host);
  else
    g_debug ("Discovery: %s does not resolve: %s", op->host, error->message);
  if (op->index < N_MAIL)
    run->guess_resolves[op->index] = addresses != NULL;
  else
    run->domain_not_found = g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
  g_resolver_free_addresses (addresses);
  op_done (op);
}

/* index: MAIL_IMAP, MAIL_SMTP for the guessed hosts, N_MAIL for the domain itself */
static void
start_guess (GTask *task, guint index, const char *host)
{
  KontorDiscovery *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Op *op = op_new (task, 0, index);

  op->host = g_strdup (host);
  g_resolver_lookup_by_name_async (self->resolver, host, run->cancellable, guess_resolved_cb, op);
}

/* RFC 6764 well-known URI: the DAV context path is where the redirects end, if a DAV
 * server answers there. */
static void
well_known_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Op *op = user_data;
  Run *run = op_get_run (op);
  g_autoptr (GError) error = NULL;
  Fetch *fetch = fetch_finish (result, &error);
  gboolean dav_answered;

  if (fetch != NULL)
    {
      dav_answered =
        fetch->status == SOUP_STATUS_MULTI_STATUS || fetch->status == SOUP_STATUS_UNAUTHORIZED;
      if (dav_answered || (fetch->redirects > 0 && (SOUP_STATUS_IS_SUCCESSFUL (fetch->status) ||
                                                    fetch->status == SOUP_STATUS_FORBIDDEN)))
        {
          g_debug ("Discovery: %s is at %s", dav_names[op->service], fetch->url);
          g_free (run->dav[op->service][op->index]);
          run->dav[op->service][op->index] = g_strdup (fetch->url);
        }
    }
  op_done (op);
}

static void
start_well_known (GTask *task, DavService service, DavFrom from, const char *base)
{
  Run *run = g_task_get_task_data (task);
  g_autofree char *url = g_strdup_printf ("%s/.well-known/%s", base, dav_names[service]);
  Op *op = op_new (task, service, from);

  fetch_async (g_task_get_source_object (task), "PROPFIND", url, 0, run->cancellable, well_known_cb,
               op);
}

static void
dav_txt_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Op *op = user_data;
  Run *run = op_get_run (op);
  g_autoptr (GError) error = NULL;
  GList *records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);
  g_autofree char *base = https_base (op->host, op->port);

  for (GList *l = records; l != NULL && run->dav[op->service][DAV_FROM_SRV_TXT] == NULL;
       l = l->next)
    {
      g_autofree const char **strings = NULL;

      if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(as)")))
        continue;
      g_variant_get (l->data, "(^a&s)", &strings);
      for (guint i = 0; strings[i] != NULL; i++)
        if (g_str_has_prefix (strings[i], "path=/"))
          {
            run->dav[op->service][DAV_FROM_SRV_TXT] =
              g_strconcat (base, strings[i] + strlen ("path="), NULL);
            g_debug ("Discovery: TXT names %s", run->dav[op->service][DAV_FROM_SRV_TXT]);
            break;
          }
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  if (run->dav[op->service][DAV_FROM_SRV_TXT] == NULL)
    {
      run->dav[op->service][DAV_FROM_SRV_ROOT] = g_strconcat (base, "/", NULL);
      if (!g_cancellable_is_cancelled (run->cancellable))
        start_well_known (op->task, op->service, DAV_FROM_SRV_WELL_KNOWN, base);
    }
  op_done (op);
}

static void
dav_srv_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Op *op = user_data;
  Run *run = op_get_run (op);
  g_autofree char *what = g_strdup_printf ("_%ss._tcp.%s", dav_names[op->service], run->domain);
  GSrvTarget *target = srv_lookup_finish (G_RESOLVER (object), result, what);

  if (target != NULL && g_srv_target_get_port (target) != 0)
    {
      op->host = srv_target_dup_host (target);
      op->port = g_srv_target_get_port (target);
      g_resolver_lookup_records_async (G_RESOLVER (object), what, G_RESOLVER_RECORD_TXT,
                                       run->cancellable, dav_txt_cb, op);
      g_srv_target_free (target);
      return;
    }
  g_clear_pointer (&target, g_srv_target_free);
  op_done (op);
}

static void
start_dav_srv (GTask *task, DavService service)
{
  KontorDiscovery *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *name = g_strconcat (dav_names[service], "s", NULL);
  Op *op = op_new (task, service, 0);

  g_resolver_lookup_service_async (self->resolver, name, "tcp", run->domain, run->cancellable,
                                   dav_srv_cb, op);
}

/* openDesk: TCP probes of the candidate hosts. A candidate exists when it resolves,
 * and is picked when it accepts a connection; the first in order wins. */

static void
probe_group_check (ProbeGroup *group)
{
  for (guint i = 0; i < N_CANDIDATES; i++)
    {
      if (group->states[i] == PROBE_PENDING)
        return;
      if (group->states[i] == PROBE_CONNECTED)
        {
          /* Nothing later in the order can win any more. */
          g_cancellable_cancel (group->cancellable);
          return;
        }
    }
}

static void
probe_finish (Op *op, ProbeState state, const char *reason)
{
  ProbeGroup *group = &op_get_run (op)->groups[op->service];

  g_debug ("Discovery: probe of %s:%u: %s", group->hosts[op->index], group->port, reason);
  group->states[op->index] = state;
  probe_group_check (group);
  op_done (op);
}

static void probe_connect_next (Op *op);

static void
probe_connected_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Op *op = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection != NULL)
    probe_finish (op, PROBE_CONNECTED, "connected");
  else if (op->next_address == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    probe_finish (op, PROBE_FAILED, error->message);
  else
    probe_connect_next (op);
}

static void
probe_connect_next (Op *op)
{
  KontorDiscovery *self = op_get_discovery (op);
  ProbeGroup *group = &op_get_run (op)->groups[op->service];
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (op->next_address->data, op->port);

  op->next_address = op->next_address->next;
  g_socket_client_connect_async (self->socket_client, G_SOCKET_CONNECTABLE (address),
                                 group->cancellable, probe_connected_cb, op);
}

static void
probe_target_resolved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Op *op = user_data;
  g_autoptr (GError) error = NULL;

  op->addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (op->addresses == NULL)
    {
      probe_finish (op, PROBE_FAILED, error->message);
      return;
    }
  op->next_address = op->addresses;
  probe_connect_next (op);
}

static void
probe_exists_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Op *op = user_data;
  KontorDiscovery *self = op_get_discovery (op);
  ProbeGroup *group = &op_get_run (op)->groups[op->service];
  g_autoptr (GError) error = NULL;
  g_autofree char *probed = NULL;
  g_autofree char *target = NULL;
  g_autoptr (GSocketConnectable) connectable = NULL;

  op->addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (op->addresses == NULL)
    {
      probe_finish (op,
                    g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND)
                      ? PROBE_NOT_FOUND
                      : PROBE_FAILED,
                    error->message);
      return;
    }

  probed = g_strdup_printf ("%s:%u", group->hosts[op->index], group->port);
  target = rewrite (self, probed);
  if (g_str_equal (target, probed))
    {
      op->next_address = op->addresses;
      probe_connect_next (op);
      return;
    }

  /* The candidate exists; the seam only changes where the probe connects. */
  connectable = g_network_address_parse (target, group->port, &error);
  if (connectable == NULL)
    {
      probe_finish (op, PROBE_FAILED, error->message);
      return;
    }
  g_clear_pointer (&op->addresses, g_resolver_free_addresses);
  op->port = g_network_address_get_port (G_NETWORK_ADDRESS (connectable));
  g_resolver_lookup_by_name_async (self->resolver,
                                   g_network_address_get_hostname (G_NETWORK_ADDRESS (connectable)),
                                   group->cancellable, probe_target_resolved_cb, op);
}

static void
start_probe (GTask *task, MailService service, guint index)
{
  KontorDiscovery *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  ProbeGroup *group = &run->groups[service];
  Op *op = op_new (task, service, index);

  op->port = group->port;
  g_debug ("Discovery: probing %s:%u", group->hosts[index], group->port);
  g_resolver_lookup_by_name_async (self->resolver, group->hosts[index], group->cancellable,
                                   probe_exists_cb, op);
}

/* Putting the findings together. */

static Server *
pick_mail (Run *run, MailService service, const char **origin)
{
  static const char *const guess_prefixes[N_MAIL] = { "imap", "smtp" };
  static const guint16 guess_ports[N_MAIL] = { 993, 587 };
  static const KontorSecurity guess_security[N_MAIL] = { KONTOR_SECURITY_TLS,
                                                         KONTOR_SECURITY_STARTTLS };
  g_autofree char *host = NULL;

  for (guint i = 0; i < N_AUTOCONFIG; i++)
    if (run->autoconfig[i][service] != NULL)
      {
        *origin = "autoconfig";
        return g_steal_pointer (&run->autoconfig[i][service]);
      }
  for (guint i = 0; i < G_N_ELEMENTS (run->srv[service]); i++)
    if (run->srv[service][i] != NULL)
      {
        *origin = "srv";
        return g_steal_pointer (&run->srv[service][i]);
      }
  if (!run->guess_resolves[service])
    return NULL;

  *origin = "guess";
  host = g_strdup_printf ("%s.%s", guess_prefixes[service], run->domain);
  return server_new (host, guess_ports[service], guess_security[service]);
}

static void
set_domain_not_found (Run *run, GError **error)
{
  g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_HOST_NOT_FOUND,
               _ ("The domain “%s” does not exist. Check the e-mail address."), run->domain);
}

static KontorAccountSettings *
build_discovered (Run *run, GError **error)
{
  g_autoptr (KontorAccountSettings) settings = kontor_account_settings_new (run->email);
  const char *origins[N_MAIL] = { NULL, NULL };
  g_autoptr (Server) imap = pick_mail (run, MAIL_IMAP, &origins[MAIL_IMAP]);
  g_autoptr (Server) smtp = pick_mail (run, MAIL_SMTP, &origins[MAIL_SMTP]);
  char **dav_urls[N_DAV] = { &settings->caldav_url, &settings->carddav_url };

  if (imap != NULL)
    {
      settings->imap_host = g_steal_pointer (&imap->host);
      settings->imap_port = imap->port;
      settings->imap_security = imap->security;
    }
  if (smtp != NULL)
    {
      settings->smtp_host = g_steal_pointer (&smtp->host);
      settings->smtp_port = smtp->port;
      settings->smtp_security = smtp->security;
    }
  /* RFC 6186 and most providers log in with the address itself. */
  if (imap != NULL && imap->username != NULL)
    settings->username = g_steal_pointer (&imap->username);
  else if (smtp != NULL && smtp->username != NULL)
    settings->username = g_steal_pointer (&smtp->username);
  else
    settings->username = g_strdup (run->email);

  for (guint i = 0; i < N_DAV; i++)
    for (guint j = 0; j < N_DAV_FROM && *dav_urls[i] == NULL; j++)
      *dav_urls[i] = g_strdup (run->dav[i][j]);

  if (origins[MAIL_IMAP] != NULL)
    settings->origin = g_strdup (origins[MAIL_IMAP]);
  else if (origins[MAIL_SMTP] != NULL)
    settings->origin = g_strdup (origins[MAIL_SMTP]);
  else if (settings->caldav_url != NULL || settings->carddav_url != NULL)
    settings->origin = g_strdup ("well-known");
  else
    {
      if (run->domain_not_found)
        set_domain_not_found (run, error);
      else
        g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                     _ ("No settings were found for “%s”. Enter the servers by hand."),
                     run->domain);
      return NULL;
    }
  return g_steal_pointer (&settings);
}

/* openDesk serves mail from LDAP accounts: the login is the LDAP user name, which
 * openDesk derives from the address, so the local part is the best default (the user
 * can change it). OX's DAV takes an application password whose login is the address.
 * Nextcloud's user id is the same LDAP user name. */
static KontorAccountSettings *
build_opendesk (Run *run, GError **error)
{
  g_autoptr (KontorAccountSettings) settings = kontor_account_settings_new (run->email);
  g_autofree char *files_user =
    g_uri_escape_string (run->local_part, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH_ELEMENT, FALSE);
  char **hosts[N_MAIL] = { &settings->imap_host, &settings->smtp_host };
  gboolean any_exists = FALSE;

  for (guint i = 0; i < N_MAIL; i++)
    for (guint j = 0; j < N_CANDIDATES; j++)
      {
        any_exists |= run->groups[i].states[j] != PROBE_NOT_FOUND;
        if (*hosts[i] == NULL && run->groups[i].states[j] == PROBE_CONNECTED)
          *hosts[i] = g_strdup (run->groups[i].hosts[j]);
      }
  if (!any_exists)
    {
      set_domain_not_found (run, error);
      return NULL;
    }

  /* Nothing answered: the domain itself, and verification tells the user what failed. */
  for (guint i = 0; i < N_MAIL; i++)
    if (*hosts[i] == NULL)
      *hosts[i] = g_strdup (run->domain);
  settings->imap_port = 993;
  settings->imap_security = KONTOR_SECURITY_TLS;
  settings->smtp_port = 587;
  settings->smtp_security = KONTOR_SECURITY_STARTTLS;
  settings->username = g_strdup (run->local_part);

  settings->caldav_url = run->dav[DAV_CALDAV][DAV_FROM_WELL_KNOWN]
                           ? g_strdup (run->dav[DAV_CALDAV][DAV_FROM_WELL_KNOWN])
                           : g_strdup_printf ("https://dav.%s/caldav/", run->domain);
  settings->carddav_url = run->dav[DAV_CARDDAV][DAV_FROM_WELL_KNOWN]
                            ? g_strdup (run->dav[DAV_CARDDAV][DAV_FROM_WELL_KNOWN])
                            : g_strdup_printf ("https://dav.%s/carddav/", run->domain);
  settings->webdav_url =
    g_strdup_printf ("https://files.%s/remote.php/dav/files/%s/", run->domain, files_user);
  settings->dav_username = g_strdup (run->email);
  settings->origin = g_strdup ("opendesk");
  return g_steal_pointer (&settings);
}

static void
run_complete (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  KontorAccountSettings *settings;

  destroy_source (&run->cancelled_source);
  destroy_source (&run->deadline_source);
  destroy_source (&run->probe_deadline_source);

  if (g_task_return_error_if_cancelled (task))
    return;

  settings = run->opendesk ? build_opendesk (run, &error) : build_discovered (run, &error);
  if (settings == NULL)
    {
      g_debug ("Discovery: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Discovery: %s found by %s: IMAP %s:%u, SMTP %s:%u, CalDAV %s, CardDAV %s", run->email,
           settings->origin, settings->imap_host ? settings->imap_host : "-", settings->imap_port,
           settings->smtp_host ? settings->smtp_host : "-", settings->smtp_port,
           settings->caldav_url ? settings->caldav_url : "-",
           settings->carddav_url ? settings->carddav_url : "-");
  g_task_return_pointer (task, settings, (GDestroyNotify) kontor_account_settings_free);
}

/* Cancelling can complete steps, and with them the run, at once: the task and its
 * run stay alive until the cancelling is over. */
static gboolean
caller_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  Run *run = user_data;
  g_autoptr (GTask) task = g_object_ref (run->task);

  run_cancel (run);
  return G_SOURCE_REMOVE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  Run *run = user_data;
  g_autoptr (GTask) task = g_object_ref (run->task);

  g_debug ("Discovery: out of time; keeping what was found so far");
  run_cancel (run);
  return G_SOURCE_REMOVE;
}

static gboolean
probe_deadline_cb (gpointer user_data)
{
  Run *run = user_data;
  g_autoptr (GTask) task = g_object_ref (run->task);

  for (guint i = 0; i < N_MAIL; i++)
    g_cancellable_cancel (run->groups[i].cancellable);
  return G_SOURCE_REMOVE;
}

static GSource *
attach_timeout (GTask *task, guint seconds, GSourceFunc func, gpointer data)
{
  GSource *source = g_timeout_source_new (seconds * 1000);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, "[kontor] discovery timeout");
  g_source_attach (source, g_task_get_context (task));
  return source;
}

static void
start_opendesk (GTask *task)
{
  static const char *const prefixes[N_MAIL][N_CANDIDATES] = { { "imap.", "mail.", "" },
                                                              { "smtp.", "mail.", "" } };
  static const guint16 ports[N_MAIL] = { 993, 587 };
  KontorDiscovery *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree char *dav_base = g_strdup_printf ("https://dav.%s", run->domain);

  for (guint i = 0; i < N_MAIL; i++)
    {
      run->groups[i].cancellable = g_cancellable_new ();
      run->groups[i].port = ports[i];
      for (guint j = 0; j < N_CANDIDATES; j++)
        run->groups[i].hosts[j] = g_strconcat (prefixes[i][j], run->domain, NULL);
    }
  run->probe_deadline_source =
    attach_timeout (task, MIN (PROBE_TIMEOUT, self->timeout), probe_deadline_cb, run);

  for (guint i = 0; i < N_MAIL; i++)
    for (guint j = 0; j < N_CANDIDATES; j++)
      start_probe (task, i, j);
  for (guint i = 0; i < N_DAV; i++)
    start_well_known (task, i, DAV_FROM_WELL_KNOWN, dav_base);
}

static void
start_discovery (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autofree char *base = g_strdup_printf ("https://%s", run->domain);
  g_autofree char *imap = g_strdup_printf ("imap.%s", run->domain);
  g_autofree char *smtp = g_strdup_printf ("smtp.%s", run->domain);

  /* Thunderbird's order: the autoconfig host first, then the domain's well-known URL.
   * Only https: a settings document is never taken from a server that cannot prove
   * it speaks for the domain. */
  start_autoconfig (task, 0, "https://autoconfig.%s/mail/config-v1.1.xml?emailaddress=%s");
  start_autoconfig (task, 1,
                    "https://%s/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=%s");
  for (guint i = 0; i < N_MAIL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (run->srv[i]); j++)
      start_mail_srv (task, i, j);
  start_guess (task, MAIL_IMAP, imap);
  start_guess (task, MAIL_SMTP, smtp);
  start_guess (task, N_MAIL, run->domain);
  for (guint i = 0; i < N_DAV; i++)
    {
      start_dav_srv (task, i);
      start_well_known (task, i, DAV_FROM_WELL_KNOWN, base);
    }
}

/**
 * kontor_discovery_discover_async:
 * @email: the account's e-mail address
 * @preset: (nullable): "opendesk" to derive the hosts of an openDesk deployment from
 *   the domain, or %NULL to look them up
 *
 * Finds the settings of an account. Without a preset it asks the domain's Mozilla
 * autoconfig documents (https only), the RFC 6186/8314 SRV records for IMAP and
 * submission, and the RFC 6764 SRV/TXT records and well-known URLs for CalDAV and
 * CardDAV, all at once; autoconfig wins over SRV, which wins over the guesses
 * imap.DOMAIN and smtp.DOMAIN (taken only when they resolve).
 *
 * Nothing is verified beyond that: the caller shows the settings for the user to
 * edit and verifies them by logging in. Fails with %KONTOR_ERROR_INVALID_ARGUMENT for
 * an invalid address or preset, %KONTOR_ERROR_HOST_NOT_FOUND when the domain does not
 * exist and %KONTOR_ERROR_NOT_FOUND when nothing was found.
 */
void
kontor_discovery_discover_async (KontorDiscovery *self,
                                 const char *email,
                                 const char *preset,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *domain = NULL;
  const char *at;
  Run *run;

  g_return_if_fail (KONTOR_IS_DISCOVERY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_discovery_discover_async);

  if (!kontor_email_is_valid (email))
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                               _ ("“%s” is not an e-mail address"), email ? email : "");
      return;
    }
  if (preset != NULL && *preset != '\0' && !g_str_equal (preset, "opendesk"))
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                               _ ("Unknown preset “%s”"), preset);
      return;
    }
  at = strrchr (email, '@');
  lower = g_ascii_strdown (at + 1, -1);
  domain = g_hostname_is_ip_address (lower) ? NULL : g_hostname_to_ascii (lower);
  if (domain == NULL)
    {
      g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                               _ ("“%s” is not an e-mail address"), email);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  run = g_new0 (Run, 1);
  run->task = task;
  run->email = g_strdup (email);
  run->local_part = g_strndup (email, at - email);
  run->domain = g_steal_pointer (&domain);
  run->opendesk = preset != NULL && *preset != '\0';
  run->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (cancellable != NULL)
    {
      run->cancelled_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (run->cancelled_source, G_SOURCE_FUNC (caller_cancelled_cb), run, NULL);
      g_source_attach (run->cancelled_source, g_task_get_context (task));
    }
  run->deadline_source = attach_timeout (task, 2 * self->timeout, deadline_cb, run);

  g_debug ("Discovery: looking for the servers of %s%s", run->email,
           run->opendesk ? " (openDesk)" : "");
  /* Held until every step has started, so that none can complete the run early. */
  run->pending = 1;
  if (run->opendesk)
    start_opendesk (task);
  else
    start_discovery (task);
  if (--run->pending == 0)
    run_complete (task);
}

/**
 * kontor_discovery_discover_finish:
 *
 * Returns: (transfer full): the settings found, for the user to check and edit
 */
KontorAccountSettings *
kontor_discovery_discover_finish (KontorDiscovery *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (KONTOR_IS_DISCOVERY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, kontor_discovery_discover_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The object. */

KontorDiscovery *
kontor_discovery_new (void)
{
  return g_object_new (KONTOR_TYPE_DISCOVERY, NULL);
}

guint
kontor_discovery_get_timeout (KontorDiscovery *self)
{
  g_return_val_if_fail (KONTOR_IS_DISCOVERY (self), 0);
  return self->timeout;
}

/**
 * kontor_discovery_set_timeout:
 * @timeout: seconds, at least 1
 *
 * How long one request may take. A whole discovery takes at most twice as long; the
 * openDesk preset's connection probes at most 3 seconds.
 */
void
kontor_discovery_set_timeout (KontorDiscovery *self, guint timeout)
{
  g_return_if_fail (KONTOR_IS_DISCOVERY (self));
  g_return_if_fail (timeout > 0);

  if (self->timeout == timeout)
    return;
  self->timeout = timeout;
  g_object_set (self->session, "timeout", timeout, "idle-timeout", timeout, NULL);
  g_socket_client_set_timeout (self->socket_client, MIN (PROBE_TIMEOUT, timeout));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

GResolver *
kontor_discovery_get_resolver (KontorDiscovery *self)
{
  g_return_val_if_fail (KONTOR_IS_DISCOVERY (self), NULL);
  return self->resolver;
}

/**
 * kontor_discovery_set_resolver:
 * @resolver: (nullable): the resolver for SRV, TXT and host lookups, or %NULL for
 *   g_resolver_get_default()
 *
 * A test seam. HTTP requests resolve their hosts through libsoup, which uses the
 * default resolver; tests send those to their own server with
 * kontor_discovery_set_rewrite_func().
 */
void
kontor_discovery_set_resolver (KontorDiscovery *self, GResolver *resolver)
{
  g_autoptr (GResolver) new_resolver = NULL;

  g_return_if_fail (KONTOR_IS_DISCOVERY (self));
  g_return_if_fail (resolver == NULL || G_IS_RESOLVER (resolver));

  new_resolver = resolver ? g_object_ref (resolver) : g_resolver_get_default ();
  if (new_resolver == self->resolver)
    return;
  g_set_object (&self->resolver, new_resolver);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLVER]);
}

/**
 * kontor_discovery_set_rewrite_func:
 * @func: (nullable): called with every URL ("https://autoconfig.example.org/...") and
 *   every "host:port" ("imap.example.org:993") that discovery connects to
 *
 * A test seam, not for the application: see #KontorDiscoveryRewriteFunc. Names are
 * still resolved as they are (through the resolver) before a probe connects to the
 * rewritten address, so a name that does not resolve stays missing.
 */
void
kontor_discovery_set_rewrite_func (KontorDiscovery *self,
                                   KontorDiscoveryRewriteFunc func,
                                   gpointer user_data,
                                   GDestroyNotify destroy)
{
  g_return_if_fail (KONTOR_IS_DISCOVERY (self));

  if (self->rewrite_destroy != NULL)
    self->rewrite_destroy (self->rewrite_data);
  self->rewrite_func = func;
  self->rewrite_data = user_data;
  self->rewrite_destroy = destroy;
}

static void
kontor_discovery_dispose (GObject *object)
{
  KontorDiscovery *self = KONTOR_DISCOVERY (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->socket_client);
  g_clear_object (&self->resolver);
  kontor_discovery_set_rewrite_func (self, NULL, NULL, NULL);

  G_OBJECT_CLASS (kontor_discovery_parent_class)->dispose (object);
}

static void
kontor_discovery_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorDiscovery *self = KONTOR_DISCOVERY (object);

  switch (prop_id)
    {
      case PROP_TIMEOUT:
        g_value_set_uint (value, self->timeout);
        break;
      case PROP_RESOLVER:
        g_value_set_object (value, self->resolver);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_discovery_set_property (GObject *object,
                               guint prop_id,
                               const GValue *value,
                               GParamSpec *pspec)
{
  KontorDiscovery *self = KONTOR_DISCOVERY (object);

  switch (prop_id)
    {
      case PROP_TIMEOUT:
        kontor_discovery_set_timeout (self, g_value_get_uint (value));
        break;
      case PROP_RESOLVER:
        kontor_discovery_set_resolver (self, g_value_get_object (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_discovery_class_init (KontorDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_discovery_dispose;
  object_class->get_property = kontor_discovery_get_property;
  object_class->set_property = kontor_discovery_set_property;

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 600, DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESOLVER] =
    g_param_spec_object ("resolver", NULL, NULL, G_TYPE_RESOLVER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_discovery_init (KontorDiscovery *self)
{
  self->timeout = DEFAULT_TIMEOUT;
  self->resolver = g_resolver_get_default ();
  self->session =
    soup_session_new_with_options ("timeout", self->timeout, "idle-timeout", self->timeout,
                                   "user-agent", "Kontor/" PACKAGE_VERSION,
                                   /* the domain's autoconfig and two well-known URLs at once */
                                   "max-conns-per-host", 4, NULL);
  self->socket_client = g_socket_client_new ();
  g_socket_client_set_timeout (self->socket_client, MIN (PROBE_TIMEOUT, self->timeout));
  /* A probe asks whether the host itself answers. */
  g_socket_client_set_enable_proxy (self->socket_client, FALSE);
}
