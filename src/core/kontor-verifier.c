/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-verifier.c: checks an account's settings by connecting to each of its services.
 *
 * Nothing is stored until it was seen to work: IMAP and SMTP go through Camel (a
 * temporary service in Kontor's CamelSession, connected and authenticated, then removed),
 * CalDAV, CardDAV and WebDAV through EWebDAVSession on a scratch ESource. The services
 * are checked in parallel, each in a worker thread because both libraries block there,
 * and the whole check ends after the timeout whatever the servers do.
 *
 * Each failure becomes the KontorError a user can act on (wrong password, unknown host,
 * refused connection, timeout, untrusted certificate with the certificate itself, no
 * TLS, nothing at that address), its message naming the server. Plain text is never a
 * fallback: a STARTTLS server that does not offer STARTTLS fails with TlsRequired. */
#define G_LOG_DOMAIN "kontor-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libedataserver/libedataserver.h>

#include "kontor-error.h"
#include "kontor-verifier.h"

struct _KontorVerifier
{
  GObject parent_instance;

  /* Owned */
  KontorCamelSession *session;
  KontorTrustStore *trust;
  guint timeout;
};

G_DEFINE_FINAL_TYPE (KontorVerifier, kontor_verifier, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_TRUST_STORE,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  KIND_IMAP,
  KIND_SMTP,
  KIND_CALDAV,
  KIND_CARDDAV,
  KIND_WEBDAV,
} ServiceKind;

/* One service to check. The worker thread owns it while it runs; only the result
 * fields are read afterwards, on the caller's main context. */
typedef struct
{
  ServiceKind kind;
  const char *service;
  char *host;
  guint16 port;
  KontorSecurity security;
  char *url;
  char *login;
  char *password;
  guint timeout;
  GCancellable *cancellable; /* the operation's; never handed to Camel */

  GTlsCertificate *certificate; /* the untrusted certificate, on failure */
} Job;

typedef struct
{
  KontorVerification *verification;
  GCancellable *cancellable; /* stops the jobs: timeout, or the caller cancelled */
  GPtrArray *pending;        /* Job, still running */
  GSource *timeout_source;
  GSource *cancel_source;
  guint timeout;
  gboolean done;
} Operation;

static void
job_free (Job *job)
{
  g_free (job->host);
  g_free (job->url);
  g_free (job->login);
  g_free (job->password);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->certificate);
  g_free (job);
}

static void
operation_free (Operation *op)
{
  g_assert (op->timeout_source == NULL && op->cancel_source == NULL);

  g_clear_object (&op->verification);
  g_clear_object (&op->cancellable);
  g_clear_pointer (&op->pending, g_ptr_array_unref);
  g_free (op);
}

static const char *
dav_name (ServiceKind kind)
{
  switch (kind)
    {
      case KIND_CALDAV:
        return "CalDAV";
      case KIND_CARDDAV:
        return "CardDAV";
      case KIND_WEBDAV:
      case KIND_IMAP:
      case KIND_SMTP:
      default:
        return "WebDAV";
    }
}

/* "host:port", with brackets around an IPv6 address. */
static char *
dup_server_name (const char *host, guint16 port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, (guint) port);
  return g_strdup_printf ("%s:%u", host, (guint) port);
}

/* End of stream, in the words of Camel's providers, whose error domains are not public:
 * IMAPX says "try to reconnect", SMTP "connection lost". */
static gboolean
is_connection_lost (const GError *error)
{
  return (error->domain == g_quark_try_string ("camel-imapx-server-error-quark") &&
          error->code == 1) ||
         (error->domain == g_quark_try_string ("camel-smtp-transport-error-quark") &&
          error->code == 0) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
         g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF);
}

/* Errors every protocol shares: the network below it. */
static gboolean
map_network_error (const GError *error,
                   const char *host,
                   const char *server,
                   guint timeout,
                   GError **out_error)
{
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) ||
      g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND))
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_HOST_NOT_FOUND,
                 _ ("The server name “%s” could not be found"), host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_CONNECTION_REFUSED,
                 _ ("The server %s refused the connection; check the port"), server);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_TIMEOUT,
                 g_dngettext (GETTEXT_PACKAGE, "The server %s did not answer within %u second",
                              "The server %s did not answer within %u seconds", timeout),
                 server, timeout);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                 _ ("The server %s cannot be reached from this network"), server);
  else if (is_connection_lost (error))
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                 _ ("The server %s closed the connection"), server);
  else if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_TLS_REQUIRED,
                 _ ("The server %s does not speak TLS on this port"), server);
  else
    return FALSE;
  return TRUE;
}

static CamelNetworkSecurityMethod
security_method (KontorSecurity security)
{
  switch (security)
    {
      case KONTOR_SECURITY_TLS:
        return CAMEL_NETWORK_SECURITY_METHOD_SSL_ON_ALTERNATE_PORT;
      case KONTOR_SECURITY_STARTTLS:
        return CAMEL_NETWORK_SECURITY_METHOD_STARTTLS_ON_STANDARD_PORT;
      case KONTOR_SECURITY_NONE:
      default:
        return CAMEL_NETWORK_SECURITY_METHOD_NONE;
    }
}

static void
set_if_exists (CamelSettings *settings, const char *name, gint value)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (settings), name);

  if (pspec == NULL)
    return;
  if (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_BOOLEAN)
    g_object_set (settings, name, (gboolean) value, NULL);
  else
    g_object_set (settings, name, value, NULL);
}

static void
map_mail_error (KontorVerifier *self,
                Job *job,
                const char *uid,
                const GError *error,
                GError **out_error)
{
  g_autofree char *server = dup_server_name (job->host, job->port);
  g_autoptr (GTlsCertificate) certificate =
    kontor_camel_session_dup_rejected_certificate (self->session, uid);

  g_debug ("%s on %s failed: %s (%s, %d)", job->service, server, error->message,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (out_error, g_error_copy (error));
  else if (certificate != NULL)
    {
      g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_CERTIFICATE_UNTRUSTED,
                   _ ("The certificate of %s is not trusted: check its fingerprint before "
                      "trusting it"),
                   server);
      g_set_object (&job->certificate, certificate);
    }
  else if (kontor_camel_session_get_password_rejected (self->session, uid))
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_AUTH_FAILED,
                 _ ("The server %s did not accept the user name “%s” with this password"), server,
                 job->login);
  else if (map_network_error (error, job->host, server, job->timeout, out_error))
    ;
  /* Camel's words for "the server did not upgrade the connection", in any language:
   * they all name STARTTLS. Before the upgrade nothing but the greeting and
   * capabilities was exchanged, and Camel stops there. */
  else if (job->security == KONTOR_SECURITY_STARTTLS && error->domain != G_TLS_ERROR &&
           strstr (error->message, "STARTTLS") != NULL)
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_TLS_REQUIRED,
                 _ ("The server %s does not offer STARTTLS, so the connection cannot be "
                    "encrypted; Kontor does not send anything unencrypted"),
                 server);
  else if (g_error_matches (error, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE))
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_AUTH_FAILED,
                 _ ("Could not log in to %s: %s"), server, error->message);
  else if (error->domain == G_TLS_ERROR)
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                 _ ("Could not set up an encrypted connection to %s: %s"), server, error->message);
  else
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_FAILED, _ ("Could not connect to %s: %s"),
                 server, error->message);
}

/* Whether anything answers at the server's address, on a connection of our own that
 * sends nothing: the name resolved, the connection accepted, and then the TLS handshake
 * (implicit TLS) or the server's greeting (otherwise). A certificate is not judged here:
 * reaching it is enough, Camel and the trust store decide about it afterwards. */
static gboolean
probe_mail_server (Job *job, GCancellable *cancellable, GError **error)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnectable) address = g_network_address_new (job->host, job->port);
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GError) local_error = NULL;
  guint8 byte;
  gssize n_read;

  g_socket_client_set_timeout (client, job->timeout);
  g_socket_client_set_tls (client, job->security == KONTOR_SECURITY_TLS);
  connection = g_socket_client_connect (client, address, cancellable, &local_error);
  if (connection == NULL)
    {
      if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (job->security != KONTOR_SECURITY_TLS)
    {
      n_read = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), &byte,
                                    1, cancellable, error);
      if (n_read < 0)
        return FALSE;
      if (n_read == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               "closed before the greeting");
          return FALSE;
        }
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* Camel is never cancelled from here: its CamelOperation proxies drop their "cancelled"
 * handlers without waiting for an emission running in another thread, so cancelling a
 * connection attempt from outside while Camel unwinds it can call into a freed proxy (and
 * does, under load). The probe above, which can be cancelled, keeps servers that never
 * answer away from Camel; should a server stall Camel later on, the attempt is abandoned
 * when the verification times out and ends when Camel's own I/O gives up. */
static gboolean
verify_mail (KontorVerifier *self, Job *job, GCancellable *cancellable, GError **error)
{
  /* SMTP servers offer PLAIN, LOGIN or both; IMAP logs in with LOGIN unless told. */
  static const char *const smtp_mechanisms[] = { "PLAIN", "LOGIN", NULL };
  static const char *const imap_mechanisms[] = { NULL };
  gboolean store = job->kind == KIND_IMAP;
  const char *const *mechanisms = store ? imap_mechanisms : smtp_mechanisms;
  g_autoptr (CamelService) service = NULL;
  g_autoptr (CamelSettings) settings = NULL;
  g_autoptr (GError) local_error = NULL;
  CamelNetworkSettings *network;
  const char *uid;
  gboolean success;

  g_debug ("Verifying %s on %s:%u (%s) as %s", job->service, job->host, job->port,
           kontor_security_to_string (job->security), job->login);

  if (!probe_mail_server (job, cancellable, &local_error))
    {
      map_mail_error (self, job, "", local_error, error);
      return FALSE;
    }

  /* Camel may have cached an answer for another port of this host. */
  kontor_camel_session_forget_trust (self->session, job->host);

  service = kontor_camel_session_add_temporary_service (
    self->session, store ? "imapx" : "smtp",
    store ? CAMEL_PROVIDER_STORE : CAMEL_PROVIDER_TRANSPORT, &local_error);
  if (service == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED,
                   _ ("Mail support is not installed: %s"), local_error->message);
      return FALSE;
    }
  uid = camel_service_get_uid (service);

  settings = camel_service_ref_settings (service);
  network = CAMEL_NETWORK_SETTINGS (settings);
  camel_network_settings_set_host (network, job->host);
  camel_network_settings_set_port (network, job->port);
  camel_network_settings_set_user (network, job->login);
  camel_network_settings_set_security_method (network, security_method (job->security));
  /* One connection, and nothing that outlives the check. */
  set_if_exists (settings, "concurrent-connections", 1);
  set_if_exists (settings, "use-idle", FALSE);
  camel_service_set_password (service, job->password);

  /* Resolves the name: a store that cannot reach its host stays offline and then only
   * says "you must be working online", hiding why. */
  success =
    camel_network_service_can_reach_sync (CAMEL_NETWORK_SERVICE (service), NULL, &local_error);
  if (success && CAMEL_IS_OFFLINE_STORE (service))
    success =
      camel_offline_store_set_online_sync (CAMEL_OFFLINE_STORE (service), TRUE, NULL, &local_error);

  for (guint i = 0; success; i++)
    {
      if (!store && job->login != NULL && *job->login != '\0')
        camel_network_settings_set_auth_mechanism (network, mechanisms[i]);
      success = camel_service_connect_sync (service, NULL, &local_error);

      /* Only when the server lacks the mechanism, not when it refused the password. */
      if (success || mechanisms[i] == NULL || mechanisms[i + 1] == NULL ||
          !g_error_matches (local_error, CAMEL_SERVICE_ERROR,
                            CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE) ||
          kontor_camel_session_get_password_rejected (self->session, uid))
        break;
      g_debug ("%s on %s:%u: %s, trying %s", job->service, job->host, job->port,
               local_error->message, mechanisms[i + 1]);
      g_clear_error (&local_error);
      success = TRUE;
    }

  if (success)
    {
      g_debug ("%s on %s:%u is fine", job->service, job->host, job->port);
      camel_service_disconnect_sync (service, TRUE, NULL, NULL);
    }
  else
    map_mail_error (self, job, uid, local_error, error);

  camel_session_remove_service (CAMEL_SESSION (self->session), service);
  return success;
}

static gboolean
propstat_cb (EWebDAVSession *webdav,
             xmlNode *prop_node,
             const GUri *request_uri,
             const char *href,
             guint status_code,
             gpointer user_data)
{
  return TRUE;
}

static void
map_dav_error (EWebDAVSession *webdav,
               Job *job,
               const char *host,
               guint16 port,
               const GError *error,
               GError **out_error)
{
  g_autofree char *server = dup_server_name (host, port);
  g_autofree char *pem = NULL;
  GTlsCertificateFlags flags = 0;

  g_debug ("%s at %s failed: %s (%s, %d)", job->service, job->url, error->message,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (out_error, g_error_copy (error));
  else if (error->domain == G_TLS_ERROR &&
           e_soup_session_get_ssl_error_details (E_SOUP_SESSION (webdav), &pem, &flags) &&
           pem != NULL)
    {
      g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_CERTIFICATE_UNTRUSTED,
                   _ ("The certificate of %s is not trusted: check its fingerprint before "
                      "trusting it"),
                   server);
      g_clear_object (&job->certificate);
      job->certificate = g_tls_certificate_new_from_pem (pem, -1, NULL);
    }
  else if (map_network_error (error, host, server, job->timeout, out_error))
    ;
  else if (g_error_matches (error, E_SOUP_SESSION_ERROR, SOUP_STATUS_UNAUTHORIZED))
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_AUTH_FAILED,
                 _ ("The server %s did not accept the user name “%s” with this password"), server,
                 job->login);
  else if (g_error_matches (error, E_SOUP_SESSION_ERROR, SOUP_STATUS_FORBIDDEN))
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_AUTH_FAILED,
                 _ ("The server %s does not let the user “%s” open %s"), server, job->login,
                 job->url);
  else if (g_error_matches (error, E_SOUP_SESSION_ERROR, SOUP_STATUS_NOT_FOUND) ||
           g_error_matches (error, E_SOUP_SESSION_ERROR, SOUP_STATUS_METHOD_NOT_ALLOWED) ||
           g_error_matches (error, E_SOUP_SESSION_ERROR, SOUP_STATUS_NOT_IMPLEMENTED))
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                 _ ("There is no %s service at %s"), dav_name (job->kind), job->url);
  else
    g_set_error (out_error, KONTOR_ERROR, KONTOR_ERROR_FAILED,
                 _ ("The %s service at %s failed: %s"), dav_name (job->kind), job->url,
                 error->message);
}

static gboolean
verify_dav (KontorVerifier *self, Job *job, GCancellable *cancellable, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (ESource) source = NULL;
  g_autoptr (EWebDAVSession) webdav = NULL;
  g_autoptr (ENamedParameters) credentials = NULL;
  g_autoptr (EXmlDocument) xml = NULL;
  g_autoptr (GTlsCertificate) pinned = NULL;
  g_autoptr (GHashTable) capabilities = NULL;
  g_autoptr (GHashTable) allows = NULL;
  g_autoptr (GError) local_error = NULL;
  ESourceWebdav *webdav_extension;
  ESourceAuthentication *auth_extension;
  const char *host;
  const char *capability = NULL;
  int port;

  g_debug ("Verifying %s at %s as %s", job->service, job->url, job->login);

  uri = g_uri_parse (job->url, SOUP_HTTP_URI_FLAGS, &local_error);
  host = uri ? g_uri_get_host (uri) : NULL;
  if (host == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("The %s address “%s” is not a URL"), dav_name (job->kind), job->url);
      return FALSE;
    }
  port = g_uri_get_port (uri);
  if (port <= 0)
    port = g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;

  source = e_source_new (NULL, NULL, &local_error);
  if (source == NULL)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_FAILED, "%s", local_error->message);
      return FALSE;
    }
  webdav_extension = e_source_get_extension (source, E_SOURCE_EXTENSION_WEBDAV_BACKEND);
  e_source_webdav_set_uri (webdav_extension, uri);
  auth_extension = e_source_get_extension (source, E_SOURCE_EXTENSION_AUTHENTICATION);
  e_source_authentication_set_host (auth_extension, host);
  e_source_authentication_set_port (auth_extension, port);
  e_source_authentication_set_user (auth_extension, job->login);
  e_source_authentication_set_method (auth_extension, "plain/password");

  /* Only the certificate the user pinned for this host and port, nothing else. */
  pinned = kontor_trust_store_dup_certificate (self->trust, host, port);
  if (pinned != NULL)
    e_source_webdav_update_ssl_trust (webdav_extension, host, pinned,
                                      E_TRUST_PROMPT_RESPONSE_ACCEPT);

  webdav = e_webdav_session_new (source);
  g_object_set (webdav, "timeout", job->timeout, NULL);
  credentials = e_named_parameters_new ();
  e_named_parameters_set (credentials, E_SOURCE_CREDENTIAL_USERNAME, job->login);
  e_named_parameters_set (credentials, E_SOURCE_CREDENTIAL_PASSWORD, job->password);
  e_soup_session_set_credentials (E_SOUP_SESSION (webdav), credentials);

  /* PROPFIND needs the login and a resource at the URL; OPTIONS often needs neither. */
  xml = e_xml_document_new (E_WEBDAV_NS_DAV, "propfind");
  e_xml_document_start_element (xml, NULL, "prop");
  e_xml_document_add_empty_element (xml, NULL, "resourcetype");
  e_xml_document_end_element (xml);
  if (!e_webdav_session_propfind_sync (webdav, job->url, E_WEBDAV_DEPTH_THIS, xml, propstat_cb,
                                       NULL, cancellable, &local_error))
    {
      map_dav_error (webdav, job, host, port, local_error, error);
      return FALSE;
    }

  if (job->kind == KIND_CALDAV)
    capability = E_WEBDAV_CAPABILITY_CALENDAR_ACCESS;
  else if (job->kind == KIND_CARDDAV)
    capability = E_WEBDAV_CAPABILITY_ADDRESSBOOK;

  if (capability != NULL)
    {
      if (!e_webdav_session_options_sync (webdav, job->url, &capabilities, &allows, cancellable,
                                          &local_error))
        {
          map_dav_error (webdav, job, host, port, local_error, error);
          return FALSE;
        }
      if (capabilities == NULL || !g_hash_table_contains (capabilities, capability))
        {
          g_debug ("%s at %s lacks the DAV capability %s", job->service, job->url, capability);
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                       _ ("There is no %s service at %s"), dav_name (job->kind), job->url);
          return FALSE;
        }
    }

  g_debug ("%s at %s is fine", job->service, job->url);
  return TRUE;
}

/* A thread of its own rather than GTask's pool: an abandoned attempt may block for a
 * while, and Camel runs its own work in that pool. */
static gpointer
job_thread (gpointer data)
{
  g_autoptr (GTask) task = data;
  KontorVerifier *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean success;

  if (job->kind == KIND_IMAP || job->kind == KIND_SMTP)
    success = verify_mail (self, job, job->cancellable, &error);
  else
    success = verify_dav (self, job, job->cancellable, &error);

  if (success)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  return NULL;
}

static void
finish (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  g_assert (!op->done);
  op->done = TRUE;

  if (op->timeout_source != NULL)
    g_source_destroy (op->timeout_source);
  g_clear_pointer (&op->timeout_source, g_source_unref);
  if (op->cancel_source != NULL)
    g_source_destroy (op->cancel_source);
  g_clear_pointer (&op->cancel_source, g_source_unref);

  /* Threads still running give up (or, in Camel, time out by themselves); their results
   * are no longer wanted. */
  g_cancellable_cancel (op->cancellable);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_object_ref (op->verification), g_object_unref);
}

static void
job_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  Operation *op = g_task_get_task_data (task);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);

  if (!op->done)
    {
      if (error == NULL)
        kontor_verification_set_ok (op->verification, job->service);
      else
        {
          kontor_verification_set_error (op->verification, job->service, error);
          if (job->certificate != NULL)
            kontor_verification_set_certificate (op->verification, job->service, job->certificate);
        }
    }

  g_ptr_array_remove (op->pending, job);
  if (!op->done && op->pending->len == 0)
    finish (task);
}

static gboolean
timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Operation *op = g_task_get_task_data (task);

  g_debug ("Verification timed out after %u seconds", op->timeout);

  for (guint i = 0; i < op->pending->len; i++)
    {
      Job *job = g_ptr_array_index (op->pending, i);
      g_autoptr (GError) error = NULL;

      if (job->host != NULL)
        {
          g_autofree char *server = dup_server_name (job->host, job->port);

          error = g_error_new (
            KONTOR_ERROR, KONTOR_ERROR_TIMEOUT,
            g_dngettext (GETTEXT_PACKAGE, "The server %s did not answer within %u second",
                         "The server %s did not answer within %u seconds", op->timeout),
            server, op->timeout);
        }
      else
        error = g_error_new (
          KONTOR_ERROR, KONTOR_ERROR_TIMEOUT,
          g_dngettext (GETTEXT_PACKAGE, "The server at %s did not answer within %u second",
                       "The server at %s did not answer within %u seconds", op->timeout),
          job->url, op->timeout);
      kontor_verification_set_error (op->verification, job->service, error);
    }

  g_object_ref (task);
  finish (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;

  g_debug ("Verification cancelled");
  g_object_ref (task);
  finish (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static guint16
default_port (ServiceKind kind, KontorSecurity security)
{
  if (kind == KIND_IMAP)
    return security == KONTOR_SECURITY_TLS ? 993 : 143;
  return security == KONTOR_SECURITY_TLS ? 465 : 587;
}

/* The checks that need no network, for one service: plain text only to this computer,
 * only http(s) URLs. */
static gboolean
validate_service (const KontorAccountSettings *settings, Job *job, GError **error)
{
  g_autoptr (KontorAccountSettings) one = kontor_account_settings_new (settings->email);

  switch (job->kind)
    {
      case KIND_IMAP:
        one->imap_host = g_strdup (job->host);
        one->imap_port = job->port;
        one->imap_security = job->security;
        break;
      case KIND_SMTP:
        one->smtp_host = g_strdup (job->host);
        one->smtp_port = job->port;
        one->smtp_security = job->security;
        break;
      case KIND_CALDAV:
        one->caldav_url = g_strdup (job->url);
        break;
      case KIND_CARDDAV:
        one->carddav_url = g_strdup (job->url);
        break;
      case KIND_WEBDAV:
      default:
        one->webdav_url = g_strdup (job->url);
        break;
    }
  return kontor_account_settings_validate (one, error);
}

static void
add_job (GTask *task,
         const KontorAccountSettings *settings,
         ServiceKind kind,
         const char *service,
         const char *host,
         guint16 port,
         KontorSecurity security,
         const char *url,
         const char *login,
         const char *password)
{
  KontorVerifier *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) job_task = NULL;
  g_autofree char *thread_name = NULL;
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->service = service;
  job->host = g_strdup (host);
  job->port = port != 0 || host == NULL ? port : default_port (kind, security);
  job->security = security;
  job->url = g_strdup (url);
  job->login = g_strdup (login);
  job->password = g_strdup (password ? password : "");
  job->timeout = op->timeout;
  job->cancellable = g_object_ref (op->cancellable);

  if (!validate_service (settings, job, &error))
    {
      g_debug ("Not connecting to %s: %s", service, error->message);
      kontor_verification_set_error (op->verification, service, error);
      job_free (job);
      return;
    }

  g_ptr_array_add (op->pending, job);
  thread_name = g_strdup_printf ("kontor-verify-%s", service);
  job_task = g_task_new (self, NULL, job_done_cb, g_object_ref (task));
  g_task_set_source_tag (job_task, add_job);
  g_task_set_task_data (job_task, job, NULL);
  g_thread_unref (g_thread_new (thread_name, job_thread, g_steal_pointer (&job_task)));
}

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

/**
 * kontor_verifier_verify_async:
 * @settings: the account to check
 * @mail_password: the password for IMAP and SMTP
 * @dav_password: (nullable): the password for CalDAV and CardDAV; %NULL for @mail_password
 * @files_password: (nullable): the password for WebDAV files; %NULL for @mail_password
 *
 * Connects to every service @settings names (IMAP and SMTP when their host is set,
 * CalDAV, CardDAV and WebDAV when their URL is), in parallel, and logs in. Settings that
 * would send anything in plain text to another computer fail before any connection.
 */
void
kontor_verifier_verify_async (KontorVerifier *self,
                              const KontorAccountSettings *settings,
                              const char *mail_password,
                              const char *dav_password,
                              const char *files_password,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  const char *login;
  const char *dav_login;
  Operation *op;

  g_return_if_fail (KONTOR_IS_VERIFIER (self));
  g_return_if_fail (settings != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_verifier_verify_async);

  op = g_new0 (Operation, 1);
  op->verification = kontor_verification_new ();
  op->cancellable = g_cancellable_new ();
  op->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  op->timeout = self->timeout;
  g_task_set_task_data (task, op, (GDestroyNotify) operation_free);

  if (dav_password == NULL)
    dav_password = mail_password;
  if (files_password == NULL)
    files_password = mail_password;
  login = kontor_account_settings_get_login (settings);
  dav_login = kontor_account_settings_get_dav_login (settings);

  if (is_set (settings->imap_host))
    add_job (task, settings, KIND_IMAP, KONTOR_SERVICE_IMAP, settings->imap_host,
             settings->imap_port, settings->imap_security, NULL, login, mail_password);
  if (is_set (settings->smtp_host))
    add_job (task, settings, KIND_SMTP, KONTOR_SERVICE_SMTP, settings->smtp_host,
             settings->smtp_port, settings->smtp_security, NULL, login, mail_password);
  if (is_set (settings->caldav_url))
    add_job (task, settings, KIND_CALDAV, KONTOR_SERVICE_CALDAV, NULL, 0, KONTOR_SECURITY_TLS,
             settings->caldav_url, dav_login, dav_password);
  if (is_set (settings->carddav_url))
    add_job (task, settings, KIND_CARDDAV, KONTOR_SERVICE_CARDDAV, NULL, 0, KONTOR_SECURITY_TLS,
             settings->carddav_url, dav_login, dav_password);
  if (is_set (settings->webdav_url))
    add_job (task, settings, KIND_WEBDAV, KONTOR_SERVICE_WEBDAV, NULL, 0, KONTOR_SECURITY_TLS,
             settings->webdav_url, dav_login, files_password);

  if (op->pending->len == 0)
    {
      finish (task);
      return;
    }

  op->timeout_source = g_timeout_source_new (op->timeout * 1000);
  g_source_set_callback (op->timeout_source, timeout_cb, task, NULL);
  g_source_set_static_name (op->timeout_source, "[kontor] verification timeout");
  g_source_attach (op->timeout_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      op->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (op->cancel_source, G_SOURCE_FUNC (cancelled_cb), task, NULL);
      g_source_set_static_name (op->cancel_source, "[kontor] verification cancelled");
      g_source_attach (op->cancel_source, g_task_get_context (task));
    }
}

/**
 * kontor_verifier_verify_finish:
 *
 * Returns: (transfer full): the result for each service; %NULL only when cancelled
 */
KontorVerification *
kontor_verifier_verify_finish (KontorVerifier *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (KONTOR_IS_VERIFIER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kontor_verifier_verify_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
kontor_verifier_finalize (GObject *object)
{
  KontorVerifier *self = KONTOR_VERIFIER (object);

  g_clear_object (&self->session);
  g_clear_object (&self->trust);

  G_OBJECT_CLASS (kontor_verifier_parent_class)->finalize (object);
}

static void
kontor_verifier_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KontorVerifier *self = KONTOR_VERIFIER (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_value_set_object (value, self->session);
        break;

      case PROP_TRUST_STORE:
        g_value_set_object (value, self->trust);
        break;

      case PROP_TIMEOUT:
        g_value_set_uint (value, self->timeout);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_verifier_set_property (GObject *object,
                              guint prop_id,
                              const GValue *value,
                              GParamSpec *pspec)
{
  KontorVerifier *self = KONTOR_VERIFIER (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        self->session = g_value_dup_object (value);
        break;

      case PROP_TRUST_STORE:
        self->trust = g_value_dup_object (value);
        break;

      case PROP_TIMEOUT:
        kontor_verifier_set_timeout (self, g_value_get_uint (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_verifier_class_init (KontorVerifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kontor_verifier_finalize;
  object_class->get_property = kontor_verifier_get_property;
  object_class->set_property = kontor_verifier_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, KONTOR_TYPE_CAMEL_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TRUST_STORE] =
    g_param_spec_object ("trust-store", NULL, NULL, KONTOR_TYPE_TRUST_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * KontorVerifier:timeout:
   *
   * How long, in seconds, a whole verification may take: a server that has not
   * answered by then fails with a Timeout error.
   */
  properties[PROP_TIMEOUT] = g_param_spec_uint (
    "timeout", NULL, NULL, 1, 600, KONTOR_VERIFIER_DEFAULT_TIMEOUT,
    G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kontor_verifier_init (KontorVerifier *self)
{
  self->timeout = KONTOR_VERIFIER_DEFAULT_TIMEOUT;
}

KontorVerifier *
kontor_verifier_new (KontorCamelSession *session, KontorTrustStore *trust)
{
  g_return_val_if_fail (KONTOR_IS_CAMEL_SESSION (session), NULL);
  g_return_val_if_fail (KONTOR_IS_TRUST_STORE (trust), NULL);

  return g_object_new (KONTOR_TYPE_VERIFIER, "session", session, "trust-store", trust, NULL);
}

guint
kontor_verifier_get_timeout (KontorVerifier *self)
{
  g_return_val_if_fail (KONTOR_IS_VERIFIER (self), 0);
  return self->timeout;
}

void
kontor_verifier_set_timeout (KontorVerifier *self, guint timeout)
{
  g_return_if_fail (KONTOR_IS_VERIFIER (self));
  g_return_if_fail (timeout > 0);

  if (self->timeout == timeout)
    return;
  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}
