/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-account-assistant-certificate.c: the certificate the assistant asks the user
 * to trust, and the question. The account service reports an untrusted certificate by
 * its subject, issuer and fingerprint, but hands out its PEM only for a stored account;
 * to pin a certificate while adding one, the assistant reads it here from the servers.
 *
 * Each TLS endpoint of the confirmed settings is connected to once more (with
 * STARTTLS spoken for IMAP and SMTP where chosen), and the certificate it presents is
 * read during the handshake, which is then failed on purpose: the certificate is never
 * trusted here and the connection never carries anything. Only a certificate whose
 * fingerprint is the one the service reported is returned, so the user is shown, and
 * can pin, nothing but the certificate that failed verification. */
#define G_LOG_DOMAIN "kontor-shell"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-account-assistant-private.h"

#define FETCH_TIMEOUT_S 10

typedef struct
{
  char *protocol; /* "imap", "smtp" or "https" */
  char *host;
  guint16 port;
  KontorSecurity security;
} Endpoint;

typedef struct
{
  GPtrArray *endpoints;
  char *reported;
} FetchData;

typedef struct
{
  GTlsCertificate *certificate;
  char *server;
} Found;

static void
endpoint_free (Endpoint *endpoint)
{
  g_free (endpoint->protocol);
  g_free (endpoint->host);
  g_free (endpoint);
}

static void
fetch_data_free (FetchData *data)
{
  g_ptr_array_unref (data->endpoints);
  g_free (data->reported);
  g_free (data);
}

static void
found_free (Found *found)
{
  g_clear_object (&found->certificate);
  g_free (found->server);
  g_free (found);
}

GPtrArray *
kontor_account_assistant_new_endpoints (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) endpoint_free);
}

/* Plain-text endpoints have no certificate; the same host and port are read once. */
void
kontor_account_assistant_add_endpoint (GPtrArray *endpoints,
                                       const char *protocol,
                                       const char *host,
                                       guint16 port,
                                       KontorSecurity security)
{
  Endpoint *endpoint;

  if (host == NULL || *host == '\0' || port == 0 || security == KONTOR_SECURITY_NONE)
    return;
  for (guint i = 0; i < endpoints->len; i++)
    {
      Endpoint *other = endpoints->pdata[i];

      if (g_ascii_strcasecmp (other->host, host) == 0 && other->port == port)
        return;
    }

  endpoint = g_new0 (Endpoint, 1);
  endpoint->protocol = g_strdup (protocol);
  endpoint->host = g_strdup (host);
  endpoint->port = port;
  endpoint->security = security;
  g_ptr_array_add (endpoints, endpoint);
}

void
kontor_account_assistant_add_url_endpoint (GPtrArray *endpoints, const char *url)
{
  g_autoptr (GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    return;
  kontor_account_assistant_add_endpoint (endpoints, "https", g_uri_get_host (uri),
                                         g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443,
                                         KONTOR_SECURITY_TLS);
}

/* As the service and browsers show it: upper-case hex pairs, colon-separated. */
static char *
dup_sha256 (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  GString *text = g_string_new (NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der != NULL)
    g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &length);
  for (gsize i = 0; i < length; i++)
    g_string_append_printf (text, "%s%02X", i > 0 ? ":" : "", digest[i]);
  return g_string_free (text, FALSE);
}

/* Takes @value. */
static void
add_detail (GtkWidget *box, const char *caption, char *value, gboolean monospace)
{
  GtkWidget *title = gtk_label_new (caption);
  GtkWidget *label = gtk_label_new (value != NULL ? value : _ ("Unknown"));

  g_free (value);
  gtk_widget_add_css_class (title, "caption-heading");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_bottom (label, 6);
  if (monospace)
    gtk_widget_add_css_class (label, "monospace");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  title, NULL, -1);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), label);
}

/**
 * kontor_account_assistant_new_trust_dialog:
 * @server: "host:port" that presented @certificate
 *
 * Returns: (transfer none): "Trust This Certificate?", with the responses "cancel" (the
 *   default) and "trust"
 */
GtkWidget *
kontor_account_assistant_new_trust_dialog (GtkWindow *parent,
                                           GTlsCertificate *certificate,
                                           const char *server)
{
  char *fingerprint = dup_sha256 (certificate);
  GtkWidget *dialog;
  GtkWidget *details;

  g_debug ("Asking whether to trust the certificate of %s (SHA-256 %s)", server, fingerprint);

  /* Four lines of eight pairs, easy to compare and narrow enough for any width. */
  for (gsize i = 23; i < strlen (fingerprint); i += 24)
    fingerprint[i] = '\n';

  dialog = adw_message_dialog_new (parent, _ ("Trust This Certificate?"), NULL);
  gtk_window_set_title (GTK_WINDOW (dialog), _ ("Trust This Certificate?"));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _ ("The server %s presents a certificate that this computer "
                                     "does not trust. Compare its fingerprint with the one your "
                                     "administrator gives you, and trust it only if they match."),
                                  server);

  details = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  add_detail (details, _ ("Subject"), g_tls_certificate_get_subject_name (certificate), FALSE);
  add_detail (details, _ ("Issuer"), g_tls_certificate_get_issuer_name (certificate), FALSE);
  add_detail (details, _ ("SHA-256 Fingerprint"), fingerprint, TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), details);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "trust",
                                    _ ("_Trust and Continue"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "trust",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  return dialog;
}

/* ---- In a worker thread ---- */

static char *
read_line (GDataInputStream *input, const char *server, GCancellable *cancellable, GError **error)
{
  GError *local_error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (input, NULL, cancellable, &local_error);

  if (line == NULL && local_error == NULL)
    local_error = g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               _ ("The server %s closed the connection"), server);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return line != NULL ? g_strchomp (line) : NULL;
}

static gboolean
write_line (GIOStream *stream, const char *line, GCancellable *cancellable, GError **error)
{
  return g_output_stream_write_all (g_io_stream_get_output_stream (stream), line, strlen (line),
                                    NULL, cancellable, error);
}

static gboolean
refused_starttls (const char *server, GError **error)
{
  g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_TLS_REQUIRED,
               _ ("The server %s did not start an encrypted connection"), server);
  return FALSE;
}

/* An SMTP reply, maybe of several lines ("250-..." up to "250 ..."), with @code. */
static gboolean
expect_smtp (GDataInputStream *input,
             const char *code,
             const char *server,
             GCancellable *cancellable,
             GError **error)
{
  for (;;)
    {
      g_autofree char *line = read_line (input, server, cancellable, error);

      if (line == NULL)
        return FALSE;
      if (strncmp (line, code, 3) != 0)
        return refused_starttls (server, error);
      if (line[3] != '-')
        return TRUE;
    }
}

static gboolean
start_tls (GIOStream *stream,
           const Endpoint *endpoint,
           const char *server,
           GCancellable *cancellable,
           GError **error)
{
  g_autoptr (GDataInputStream) input =
    g_data_input_stream_new (g_io_stream_get_input_stream (stream));

  /* The TLS connection reads the socket itself afterwards. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (input), FALSE);
  g_data_input_stream_set_newline_type (input, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);

  if (g_strcmp0 (endpoint->protocol, "imap") == 0)
    {
      g_autofree char *greeting = read_line (input, server, cancellable, error);

      if (greeting == NULL || !write_line (stream, "K1 STARTTLS\r\n", cancellable, error))
        return FALSE;
      for (;;)
        {
          g_autofree char *line = read_line (input, server, cancellable, error);

          if (line == NULL)
            return FALSE;
          if (g_str_has_prefix (line, "K1 "))
            return g_str_has_prefix (line, "K1 OK") || refused_starttls (server, error);
        }
    }

  return expect_smtp (input, "220", server, cancellable, error) &&
         write_line (stream, "EHLO localhost\r\n", cancellable, error) &&
         expect_smtp (input, "250", server, cancellable, error) &&
         write_line (stream, "STARTTLS\r\n", cancellable, error) &&
         expect_smtp (input, "220", server, cancellable, error);
}

static gboolean
accept_certificate_cb (GTlsConnection *connection,
                       GTlsCertificate *certificate,
                       GTlsCertificateFlags errors,
                       GTlsCertificate **out_certificate)
{
  g_set_object (out_certificate, certificate);
  /* Read, never accepted: the handshake fails here. */
  return FALSE;
}

/* The certificate @endpoint presents when this computer does not trust it; %NULL
 * without an error when the system trusts it. */
static GTlsCertificate *
read_untrusted_certificate (const Endpoint *endpoint,
                            const char *server,
                            GCancellable *cancellable,
                            GError **error)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GSocketConnectable) identity = NULL;
  g_autoptr (GIOStream) tls = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GError) handshake_error = NULL;

  g_socket_client_set_timeout (client, FETCH_TIMEOUT_S);
  connection =
    g_socket_client_connect_to_host (client, endpoint->host, endpoint->port, cancellable, error);
  if (connection == NULL)
    return NULL;
  if (endpoint->security == KONTOR_SECURITY_STARTTLS &&
      !start_tls (G_IO_STREAM (connection), endpoint, server, cancellable, error))
    return NULL;

  identity = g_network_address_new (endpoint->host, endpoint->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, error);
  if (tls == NULL)
    return NULL;
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), &certificate);

  if (g_tls_connection_handshake (G_TLS_CONNECTION (tls), cancellable, &handshake_error))
    {
      g_io_stream_close (tls, NULL, NULL);
      return NULL;
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  if (certificate == NULL)
    g_propagate_error (error, g_steal_pointer (&handshake_error));
  return g_steal_pointer (&certificate);
}

static void
fetch_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  FetchData *data = task_data;
  g_autoptr (GError) last_error = NULL;

  for (guint i = 0; i < data->endpoints->len; i++)
    {
      const Endpoint *endpoint = data->endpoints->pdata[i];
      g_autofree char *server = g_strdup_printf ("%s:%u", endpoint->host, endpoint->port);
      g_autoptr (GTlsCertificate) certificate = NULL;
      g_autofree char *sha256 = NULL;
      g_autoptr (GError) error = NULL;
      Found *found;

      certificate = read_untrusted_certificate (endpoint, server, cancellable, &error);
      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (certificate == NULL)
        {
          if (error != NULL)
            {
              g_debug ("No certificate read from %s: %s", server, error->message);
              g_clear_error (&last_error);
              last_error = g_steal_pointer (&error);
            }
          continue;
        }

      sha256 = dup_sha256 (certificate);
      if (strstr (data->reported, sha256) == NULL)
        {
          g_debug ("%s presents another certificate than the one reported", server);
          continue;
        }

      found = g_new0 (Found, 1);
      found->certificate = g_steal_pointer (&certificate);
      found->server = g_steal_pointer (&server);
      g_task_return_pointer (task, found, (GDestroyNotify) found_free);
      return;
    }

  if (last_error != NULL)
    g_task_return_error (task, g_steal_pointer (&last_error));
  else
    g_task_return_new_error (task, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                             _ ("No server presented that certificate when asked again"));
}

/**
 * kontor_account_assistant_fetch_certificate_async:
 * @endpoints: from kontor_account_assistant_new_endpoints(), in the order to try
 * @reported: the message of the service's CertificateUntrusted error, which holds the
 *   fingerprint of the certificate to find
 *
 * Finds the endpoint presenting the untrusted certificate the service reported.
 */
void
kontor_account_assistant_fetch_certificate_async (GPtrArray *endpoints,
                                                  const char *reported,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  FetchData *data;

  g_return_if_fail (endpoints != NULL);
  g_return_if_fail (reported != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kontor_account_assistant_fetch_certificate_async);
  data = g_new0 (FetchData, 1);
  data->endpoints = g_ptr_array_ref (endpoints);
  data->reported = g_ascii_strup (reported, -1);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);
  g_task_run_in_thread (task, fetch_thread);
}

/**
 * kontor_account_assistant_fetch_certificate_finish:
 * @out_server: (out): "host:port" of the server that presented it
 *
 * Returns: (transfer full): the certificate, to show and perhaps to pin
 */
GTlsCertificate *
kontor_account_assistant_fetch_certificate_finish (GAsyncResult *result,
                                                   char **out_server,
                                                   GError **error)
{
  Found *found;
  GTlsCertificate *certificate;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return NULL;
  certificate = g_steal_pointer (&found->certificate);
  if (out_server != NULL)
    *out_server = g_steal_pointer (&found->server);
  found_free (found);
  return certificate;
}
