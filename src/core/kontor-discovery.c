/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-discovery.c: finds an account's IMAP, SMTP and DAV settings from its e-mail
 * address, asking only the user's own domain and never a third party. This file holds
 * the object, starts a discovery's steps at once and merges what they found; the steps
 * are in kontor-discovery-autoconfig.c, kontor-discovery-dns.c and
 * kontor-discovery-http.c. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "kontor-discovery-private.h"
#include "kontor-error.h"

/* Seconds: per request by default; the whole discovery takes at most twice the
 * request timeout, the openDesk TCP probes at most PROBE_TIMEOUT. */
#define DEFAULT_TIMEOUT 5
#define PROBE_TIMEOUT   3

G_DEFINE_FINAL_TYPE (KontorDiscovery, kontor_discovery, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TIMEOUT,
  PROP_RESOLVER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
kontor_discovery_server_free (KontorDiscoveryServer *server)
{
  if (server == NULL)
    return;
  g_free (server->host);
  g_free (server->username);
  g_free (server);
}

KontorDiscoveryServer *
kontor_discovery_server_new (const char *host, guint16 port, KontorSecurity security)
{
  KontorDiscoveryServer *server = g_new0 (KontorDiscoveryServer, 1);

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
run_free (KontorDiscoveryRun *run)
{
  destroy_source (&run->cancelled_source);
  destroy_source (&run->deadline_source);
  destroy_source (&run->probe_deadline_source);
  g_clear_object (&run->cancellable);
  for (guint i = 0; i < N_MAIL; i++)
    {
      for (guint j = 0; j < N_AUTOCONFIG; j++)
        kontor_discovery_server_free (run->autoconfig[j][i]);
      kontor_discovery_server_free (run->srv[i][0]);
      kontor_discovery_server_free (run->srv[i][1]);
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
run_cancel (KontorDiscoveryRun *run)
{
  g_cancellable_cancel (run->cancellable);
  for (guint i = 0; i < N_MAIL; i++)
    if (run->groups[i].cancellable != NULL)
      g_cancellable_cancel (run->groups[i].cancellable);
}

char *
kontor_discovery_rewrite (KontorDiscovery *self, const char *uri)
{
  char *rewritten = NULL;

  if (self->rewrite_func != NULL)
    rewritten = self->rewrite_func (uri, self->rewrite_data);
  if (rewritten == NULL)
    return g_strdup (uri);
  g_debug ("Discovery: %s goes to %s", uri, rewritten);
  return rewritten;
}

/* The steps of a discovery. */

static void run_complete (GTask *task);

KontorDiscoveryOp *
kontor_discovery_op_new (GTask *task, guint service, guint index)
{
  KontorDiscoveryOp *op = g_new0 (KontorDiscoveryOp, 1);

  op->task = g_object_ref (task);
  op->service = service;
  op->index = index;
  ((KontorDiscoveryRun *) g_task_get_task_data (task))->pending++;
  return op;
}

void
kontor_discovery_op_done (KontorDiscoveryOp *op)
{
  KontorDiscoveryRun *run = g_task_get_task_data (op->task);

  g_assert (run->pending > 0);
  if (--run->pending == 0)
    run_complete (op->task);

  g_object_unref (op->task);
  g_free (op->host);
  g_resolver_free_addresses (op->addresses);
  g_free (op);
}

KontorDiscovery *
kontor_discovery_op_get_discovery (KontorDiscoveryOp *op)
{
  return g_task_get_source_object (op->task);
}

KontorDiscoveryRun *
kontor_discovery_op_get_run (KontorDiscoveryOp *op)
{
  return g_task_get_task_data (op->task);
}

/* Putting the findings together. */

static KontorDiscoveryServer *
pick_mail (KontorDiscoveryRun *run, KontorDiscoveryMailService service, const char **origin)
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
  return kontor_discovery_server_new (host, guess_ports[service], guess_security[service]);
}

static void
set_domain_not_found (KontorDiscoveryRun *run, GError **error)
{
  g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_HOST_NOT_FOUND,
               _ ("The domain “%s” does not exist. Check the e-mail address."), run->domain);
}

static KontorAccountSettings *
build_discovered (KontorDiscoveryRun *run, GError **error)
{
  g_autoptr (KontorAccountSettings) settings = kontor_account_settings_new (run->email);
  const char *origins[N_MAIL] = { NULL, NULL };
  g_autoptr (KontorDiscoveryServer) imap = pick_mail (run, MAIL_IMAP, &origins[MAIL_IMAP]);
  g_autoptr (KontorDiscoveryServer) smtp = pick_mail (run, MAIL_SMTP, &origins[MAIL_SMTP]);
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
build_opendesk (KontorDiscoveryRun *run, GError **error)
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
  KontorDiscoveryRun *run = g_task_get_task_data (task);
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
  KontorDiscoveryRun *run = user_data;
  g_autoptr (GTask) task = g_object_ref (run->task);

  run_cancel (run);
  return G_SOURCE_REMOVE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  KontorDiscoveryRun *run = user_data;
  g_autoptr (GTask) task = g_object_ref (run->task);

  g_debug ("Discovery: out of time; keeping what was found so far");
  run_cancel (run);
  return G_SOURCE_REMOVE;
}

static gboolean
probe_deadline_cb (gpointer user_data)
{
  KontorDiscoveryRun *run = user_data;
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
  KontorDiscoveryRun *run = g_task_get_task_data (task);
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
      kontor_discovery_start_probe (task, i, j);
  for (guint i = 0; i < N_DAV; i++)
    kontor_discovery_start_well_known (task, i, DAV_FROM_WELL_KNOWN, dav_base);
}

static void
start_discovery (GTask *task)
{
  KontorDiscoveryRun *run = g_task_get_task_data (task);
  g_autofree char *base = g_strdup_printf ("https://%s", run->domain);
  g_autofree char *imap = g_strdup_printf ("imap.%s", run->domain);
  g_autofree char *smtp = g_strdup_printf ("smtp.%s", run->domain);

  /* Thunderbird's order: the autoconfig host first, then the domain's well-known URL.
   * Only https: a settings document is never taken from a server that cannot prove
   * it speaks for the domain. */
  kontor_discovery_start_autoconfig (task, 0,
                                     "https://autoconfig.%s/mail/config-v1.1.xml?emailaddress=%s");
  kontor_discovery_start_autoconfig (
    task, 1, "https://%s/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=%s");
  for (guint i = 0; i < N_MAIL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (run->srv[i]); j++)
      kontor_discovery_start_mail_srv (task, i, j);
  kontor_discovery_start_guess (task, MAIL_IMAP, imap);
  kontor_discovery_start_guess (task, MAIL_SMTP, smtp);
  kontor_discovery_start_guess (task, N_MAIL, run->domain);
  for (guint i = 0; i < N_DAV; i++)
    {
      kontor_discovery_start_dav_srv (task, i);
      kontor_discovery_start_well_known (task, i, DAV_FROM_WELL_KNOWN, base);
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
  KontorDiscoveryRun *run;

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

  run = g_new0 (KontorDiscoveryRun, 1);
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
