/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-discovery-autoconfig.c: the Mozilla autoconfig step of a discovery: fetches
 * the domain's clientConfig document over https and reads its IMAP and SMTP servers. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include "kontor-discovery-private.h"

#define MAX_AUTOCONFIG_SIZE (64 * 1024)

/* Mozilla autoconfig (clientConfig version 1.1), read with GMarkup. */

typedef struct
{
  KontorDiscoveryRun *run;
  KontorDiscoveryServer
    *server; /* the incomingServer/outgoingServer being read, if it is IMAP or SMTP */
  KontorDiscoveryMailService service;
  gboolean security_known;
  gboolean any_auth;
  gboolean password_auth;
  GString *text;
  GPtrArray *servers[N_MAIL];
} Autoconfig;

static char *
substitute (KontorDiscoveryRun *run, const char *text)
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

  g_clear_pointer (&parser->server, kontor_discovery_server_free);
  parser->server = kontor_discovery_server_new (NULL, 0, KONTOR_SECURITY_TLS);
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
  KontorDiscoveryServer *server = parser->server;
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
      g_clear_pointer (&parser->server, kontor_discovery_server_free);
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
static KontorDiscoveryServer *
autoconfig_pick (GPtrArray *servers, KontorDiscoveryMailService service)
{
  static const KontorSecurity imap_order[] = { KONTOR_SECURITY_TLS, KONTOR_SECURITY_STARTTLS,
                                               KONTOR_SECURITY_NONE };

  for (guint i = 0; i < G_N_ELEMENTS (imap_order); i++)
    for (guint j = 0; j < servers->len; j++)
      {
        KontorDiscoveryServer *server = g_ptr_array_index (servers, j);

        if ((service == MAIL_IMAP && server->security == imap_order[i]) ||
            (service == MAIL_SMTP && (i == 0) == (server->security != KONTOR_SECURITY_NONE)))
          return g_ptr_array_steal_index (servers, j);
      }
  return NULL;
}

static gboolean
autoconfig_parse (KontorDiscoveryRun *run,
                  const char *data,
                  gsize length,
                  KontorDiscoveryServer **imap,
                  KontorDiscoveryServer **smtp,
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
    parser.servers[i] =
      g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_discovery_server_free);

  context =
    g_markup_parse_context_new (&markup_parser, G_MARKUP_PREFIX_ERROR_POSITION, &parser, NULL);
  ok = g_markup_parse_context_parse (context, data, length, error) &&
       g_markup_parse_context_end_parse (context, error);
  if (ok)
    {
      *imap = autoconfig_pick (parser.servers[MAIL_IMAP], MAIL_IMAP);
      *smtp = autoconfig_pick (parser.servers[MAIL_SMTP], MAIL_SMTP);
    }

  kontor_discovery_server_free (parser.server);
  g_string_free (parser.text, TRUE);
  for (guint i = 0; i < N_MAIL; i++)
    g_ptr_array_unref (parser.servers[i]);
  return ok;
}

static void
autoconfig_fetched_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  KontorDiscoveryOp *op = user_data;
  KontorDiscoveryRun *run = kontor_discovery_op_get_run (op);
  g_autoptr (GError) error = NULL;
  KontorDiscoveryFetch *fetch = kontor_discovery_fetch_finish (result, &error);

  if (fetch != NULL && fetch->status == SOUP_STATUS_OK)
    {
      KontorDiscoveryServer **found = run->autoconfig[op->index];

      if (!autoconfig_parse (run, (const char *) fetch->buffer, fetch->n_read, &found[MAIL_IMAP],
                             &found[MAIL_SMTP], &error))
        g_debug ("Discovery: ignoring the autoconfig at %s: %s", fetch->url, error->message);
      else
        g_debug ("Discovery: autoconfig at %s names IMAP %s, SMTP %s", fetch->url,
                 found[MAIL_IMAP] ? found[MAIL_IMAP]->host : "(none)",
                 found[MAIL_SMTP] ? found[MAIL_SMTP]->host : "(none)");
    }
  kontor_discovery_op_done (op);
}

void
kontor_discovery_start_autoconfig (GTask *task, guint index, const char *url_format)
{
  KontorDiscoveryRun *run = g_task_get_task_data (task);
  g_autofree char *escaped = g_uri_escape_string (run->email, NULL, FALSE);
  g_autofree char *url = g_strdup_printf (url_format, run->domain, escaped);
  KontorDiscoveryOp *op = kontor_discovery_op_new (task, 0, index);

  kontor_discovery_fetch_async (g_task_get_source_object (task), "GET", url, MAX_AUTOCONFIG_SIZE,
                                run->cancellable, autoconfig_fetched_cb, op);
}
