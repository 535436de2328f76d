/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-outbox-send.c: one attempt at one outbox entry, in a worker thread:
 * "sending" on disk, SMTP through the account's transport (a fresh Camel service each
 * time, so no state of an earlier attempt lingers), "sent" on disk the moment the
 * server accepted, then the copy in the account's Sent folder, then the entry goes.
 *
 * Camel is not given the outbox's cancellable: once a message is handed to the
 * server the attempt runs to its end, and the outcome is recorded. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-error.h"
#include "kontor-mail-account.h"
#include "kontor-mail-outbox-private.h"

static guint
retry_delay (guint attempts)
{
  static const guint delays[] = { 30, 60, 2 * 60, 5 * 60, 10 * 60, 30 * 60 };

  return delays[MIN (MAX (attempts, 1u) - 1, G_N_ELEMENTS (delays) - 1)];
}

/* Whether trying again later cannot help: the user has to change something first.
 * Camel keeps no SMTP reply code, only the server's text after it, which starts with
 * an enhanced status code (RFC 3463) when the server sends one. */
static gboolean
is_permanent (const GError *error)
{
  g_autoptr (GMatchInfo) match = NULL;
  static GRegex *status = NULL;

  if (g_error_matches (error, CAMEL_SERVICE_ERROR, CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE) ||
      g_error_matches (error, KONTOR_ERROR, KONTOR_ERROR_AUTH_FAILED) ||
      g_error_matches (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND) || error->domain == G_TLS_ERROR)
    return TRUE;
  if (!g_error_matches (error, CAMEL_ERROR, CAMEL_ERROR_GENERIC))
    return FALSE; /* the network, a dropped connection: later may work */
  if (g_once_init_enter (&status))
    g_once_init_leave (&status, g_regex_new ("(?<![\\d.])([245])\\.\\d{1,3}\\.\\d{1,3}(?![\\d.])",
                                             G_REGEX_OPTIMIZE, 0, NULL));
  if (g_regex_match (status, error->message, 0, &match))
    {
      g_autofree char *class = g_match_info_fetch (match, 1);

      return class[0] == '5';
    }
  /* A server's answer without a status code: only a temporary one says so. */
  return !g_regex_match_simple ("try again|temporar|later|greylist", error->message,
                                G_REGEX_CASELESS, 0);
}

static CamelNetworkSecurityMethod
security_method (KontorSecurity security)
{
  switch (security)
    {
      case KONTOR_SECURITY_STARTTLS:
        return CAMEL_NETWORK_SECURITY_METHOD_STARTTLS_ON_STANDARD_PORT;
      case KONTOR_SECURITY_NONE:
        return CAMEL_NETWORK_SECURITY_METHOD_NONE;
      case KONTOR_SECURITY_TLS:
      default:
        return CAMEL_NETWORK_SECURITY_METHOD_SSL_ON_ALTERNATE_PORT;
    }
}

static gboolean
connect_transport (CamelService *service, const char *login, GError **error)
{
  static const char *const mechanisms[] = { "PLAIN", "LOGIN", NULL };
  g_autoptr (CamelSettings) settings = camel_service_ref_settings (service);
  g_autoptr (GError) local_error = NULL;

  for (guint i = 0; mechanisms[i] != NULL; i++)
    {
      if (login != NULL && *login != '\0')
        camel_network_settings_set_auth_mechanism (CAMEL_NETWORK_SETTINGS (settings),
                                                   mechanisms[i]);
      g_clear_error (&local_error);
      if (camel_service_connect_sync (service, NULL, &local_error))
        return TRUE;
      /* Another mechanism only when the server lacks this one. */
      if (login == NULL || *login == '\0' || strstr (local_error->message, mechanisms[i]) == NULL ||
          !g_error_matches (local_error, CAMEL_SERVICE_ERROR,
                            CAMEL_SERVICE_ERROR_CANT_AUTHENTICATE))
        break;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
transport_send (KontorMailOutbox *self,
                KontorAccount *account,
                const KontorMailOutboxEntry *entry,
                CamelMimeMessage *message,
                GError **error)
{
  const KontorAccountSettings *settings = kontor_account_get_settings (account);
  const char *login = kontor_account_settings_get_login (settings);
  g_autofree char *uid = g_strconcat (entry->account_id, "-smtp", NULL);
  g_autofree char *password = NULL;
  g_autoptr (CamelService) service = NULL;
  g_autoptr (CamelSettings) camel_settings = NULL;
  g_autoptr (CamelInternetAddress) from = camel_internet_address_new ();
  g_autoptr (CamelInternetAddress) recipients = camel_internet_address_new ();
  CamelNetworkSettings *network;
  gboolean saved = FALSE;
  gboolean success;

  g_debug ("Sending %s through %s:%u", entry->id, settings->smtp_host, settings->smtp_port);
  password = kontor_account_service_dup_mail_password_sync (self->accounts_model, entry->account_id,
                                                            NULL, error);
  if (password == NULL)
    return FALSE;
  if ((service = camel_session_ref_service (self->session, uid)) != NULL)
    {
      camel_session_remove_service (self->session, service);
      g_clear_object (&service);
    }
  service = camel_session_add_service (self->session, uid, "smtp", CAMEL_PROVIDER_TRANSPORT, error);
  if (service == NULL)
    return FALSE;

  camel_settings = camel_service_ref_settings (service);
  network = CAMEL_NETWORK_SETTINGS (camel_settings);
  camel_network_settings_set_host (network, settings->smtp_host);
  camel_network_settings_set_port (network, settings->smtp_port);
  camel_network_settings_set_user (network, login);
  camel_network_settings_set_security_method (network, security_method (settings->smtp_security));
  camel_service_set_password (service, password);

  success = connect_transport (service, login, error);
  if (success)
    {
      camel_internet_address_add (from, NULL, entry->from);
      for (guint i = 0; entry->recipients[i] != NULL; i++)
        camel_internet_address_add (recipients, NULL, entry->recipients[i]);
      success =
        camel_transport_send_to_sync (CAMEL_TRANSPORT (service), message, CAMEL_ADDRESS (from),
                                      CAMEL_ADDRESS (recipients), &saved, NULL, error);
      camel_service_disconnect_sync (service, success, NULL, NULL);
    }
  camel_session_remove_service (self->session, service);
  return success;
}

/* The copy in Sent, as it was queued, marked read. An entry that was "sent" already
 * at start-up may have its copy there: it is looked for first. */
static gboolean
store_sent_copy (KontorMailOutbox *self,
                 const KontorMailOutboxEntry *entry,
                 CamelMimeMessage *just_sent,
                 GError **error)
{
  KontorMailAccount *borrowed = kontor_mail_engine_lookup_account (self->engine, entry->account_id);
  g_autoptr (KontorMailAccount) account = borrowed ? g_object_ref (borrowed) : NULL;
  g_autoptr (CamelFolder) folder = NULL;
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (CamelMessageInfo) info = NULL;
  g_autoptr (GError) local_error = NULL;

  if (account != NULL)
    folder =
      kontor_mail_account_ref_role_folder_sync (account, KONTOR_MAIL_ROLE_SENT, NULL, &local_error);
  if (account == NULL || g_error_matches (local_error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND))
    {
      g_message ("No Sent folder for the account %s: no copy of %s is kept", entry->account_id,
                 entry->id);
      return TRUE;
    }
  if (folder == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (entry->check_sent && entry->message_id != NULL && *entry->message_id != '\0')
    {
      g_autofree char *expression =
        g_strdup_printf ("(match-all (header-contains \"Message-ID\" \"%s\"))", entry->message_id);
      g_autoptr (GPtrArray) uids = NULL;

      camel_folder_refresh_info_sync (folder, NULL, NULL);
      uids = camel_folder_search_by_expression (folder, expression, NULL, NULL);
      if (uids != NULL && uids->len > 0)
        return TRUE;
    }
  /* The message just sent, when there is one: a big message is not held twice. */
  message = just_sent != NULL ? g_object_ref (just_sent)
                              : kontor_mail_outbox_load_message (self, entry->id, NULL, error);
  if (message == NULL)
    return FALSE;
  info = camel_message_info_new (NULL);
  camel_message_info_set_flags (info, CAMEL_MESSAGE_SEEN, CAMEL_MESSAGE_SEEN);
  if (!camel_folder_append_message_sync (folder, message, info, NULL, NULL, error))
    {
      kontor_mail_error_from_camel (error);
      return FALSE;
    }
  return TRUE;
}

/* Records a failed attempt: back in the queue for later, or failed for good. */
static void
record_failure (KontorMailOutbox *self,
                KontorMailOutboxEntry *entry,
                KontorMailOutboxState state,
                const char *message)
{
  entry->state = state;
  g_free (entry->error);
  entry->error = g_strdup (message);
  entry->next_attempt = state == KONTOR_MAIL_OUTBOX_FAILED
                          ? 0
                          : g_get_real_time () / G_USEC_PER_SEC + retry_delay (entry->attempts);
  if (!kontor_mail_outbox_save_entry (self, entry, NULL))
    g_warning ("The outbox entry %s could not be updated on disk", entry->id);
  kontor_mail_outbox_update (self, entry);
}

void
kontor_mail_outbox_send_entry (KontorMailOutbox *self, const char *id, GCancellable *cancellable)
{
  g_autoptr (KontorMailOutboxEntry) entry = NULL;
  g_autoptr (KontorAccount) account = NULL;
  g_autoptr (CamelMimeMessage) message = NULL;
  g_autoptr (GError) error = NULL;
  KontorMailOutboxEntry *current;

  /* Claimed under the lock: cancelling it from now on is refused. */
  g_mutex_lock (&self->lock);
  current = g_hash_table_lookup (self->entries, id);
  if (current != NULL && current->state == KONTOR_MAIL_OUTBOX_QUEUED)
    {
      current->state = KONTOR_MAIL_OUTBOX_SENDING;
      current->attempts++;
    }
  if (current != NULL &&
      (current->state == KONTOR_MAIL_OUTBOX_SENDING || current->state == KONTOR_MAIL_OUTBOX_SENT))
    entry = kontor_mail_outbox_entry_copy (current);
  g_mutex_unlock (&self->lock);
  if (entry == NULL)
    return;

  if (entry->state == KONTOR_MAIL_OUTBOX_SENDING)
    {
      /* Only what is recorded as "sending" may reach the server. */
      if (!kontor_mail_outbox_save_entry (self, entry, &error))
        {
          record_failure (self, entry, KONTOR_MAIL_OUTBOX_QUEUED, error->message);
          return;
        }
      kontor_mail_outbox_emit_changed (self);
      account = kontor_mail_outbox_ref_account (self, entry->account_id);
      message = kontor_mail_outbox_load_message (self, id, cancellable, &error);
      if (account == NULL || message == NULL)
        {
          record_failure (self, entry, KONTOR_MAIL_OUTBOX_FAILED,
                          account == NULL ? _ ("The account of this message cannot send mail")
                                          : error->message);
          return;
        }
      if (!transport_send (self, account, entry, message, &error))
        {
          g_debug ("Sending %s failed: %s", id, error->message);
          record_failure (self, entry,
                          is_permanent (error) ? KONTOR_MAIL_OUTBOX_FAILED
                                               : KONTOR_MAIL_OUTBOX_QUEUED,
                          error->message);
          return;
        }
      entry->state = KONTOR_MAIL_OUTBOX_SENT;
      entry->next_attempt = 0;
      g_clear_pointer (&entry->error, g_free);
      if (!kontor_mail_outbox_save_entry (self, entry, &error))
        g_warning ("%s was sent, but that could not be recorded: %s", id, error->message);
      g_clear_error (&error);
      kontor_mail_outbox_update (self, entry);
    }

  if (!store_sent_copy (self, entry, message, &error))
    {
      g_autofree char *reason =
        g_strdup_printf (_ ("Sent, but not copied to the Sent folder yet: %s"), error->message);

      record_failure (self, entry, KONTOR_MAIL_OUTBOX_SENT, reason);
      return;
    }
  kontor_mail_outbox_remove (self, id);
  g_clear_object (&message);
  kontor_mail_outbox_trim_memory ();
}
