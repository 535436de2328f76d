/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-runtime.c: what the Mail plugin does once it is needed: the engine,
 * the page, Mail1, mid: and mailto: links, composers, and new-mail notifications. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-core.h"
#include "kontor-mail-composers-edit.h"
#include "kontor-mail-composers.h"
#include "kontor-mail-dbus.h"
#include "kontor-mail-engine.h"
#include "kontor-mail-mailto.h"
#include "kontor-mail-message.h"
#include "kontor-mail-page.h"
#include "kontor-mail-runtime.h"

struct _KontorMailRuntime
{
  KontorContext *context;
  KontorMailEngine *engine;
  KontorMailDBus *dbus;
  KontorMailComposers *composers;
  KontorMailPage *page; /* weak */
  char *pending_uri;
  gboolean holding; /* the application, while the Outbox has messages to send */
};

/* New mail ------------------------------------------------------------------------- */

static gpointer
describe_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  return kontor_mail_engine_dup_info_sync (engine, data, cancellable, error);
}

static void
described_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_auto (GStrv) ids = user_data;
  g_autoptr (CamelMessageInfo) info =
    kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, NULL);
  GApplication *application = g_application_get_default ();
  guint n = g_strv_length (ids);
  g_autoptr (GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *body = NULL;

  if (application == NULL || info == NULL ||
      (camel_message_info_get_flags (info) & CAMEL_MESSAGE_SEEN))
    return;
  sender = kontor_mail_address_display (camel_message_info_get_from (info));
  if (n == 1)
    {
      title = g_strdup (sender);
      body = g_strdup (camel_message_info_get_subject (info));
    }
  else
    {
      title = g_strdup_printf (ngettext ("%u New Message", "%u New Messages", n), n);
      /* Translators: the newest of several new messages: "From Ada: Subject" */
      body =
        g_strdup_printf (_ ("Newest from %s: %s"), sender, camel_message_info_get_subject (info));
    }
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.mail-open-message", "s",
                                                ids[n - 1]);
  g_notification_add_button_with_target_value (notification, _ ("Mark as Read"),
                                               "app.mail-mark-read",
                                               g_variant_new_strv ((const char *const *) ids, -1));
  /* One notification for the latest batch: a new one replaces it. */
  g_application_send_notification (application, "kontor-mail-new", notification);
}

static void
messages_added_cb (KontorMailEngine *engine,
                   const char *folder_id,
                   const char *const *ids,
                   KontorMailRuntime *self)
{
  g_autofree char *full_name = NULL;
  guint n = g_strv_length ((char **) ids);

  if (n == 0 || !kontor_mail_folder_id_parse (folder_id, NULL, &full_name) ||
      g_ascii_strcasecmp (full_name, "INBOX") != 0)
    return;
  kontor_mail_engine_run_async (engine, describe_job, g_strdup (ids[n - 1]), g_free, g_object_unref,
                                NULL, described_cb, g_strdupv ((char **) ids));
}

static void
open_message_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KontorMailRuntime *self = user_data;
  g_autofree char *uri =
    g_strconcat ("kontor-mail-id:", g_variant_get_string (parameter, NULL), NULL);

  kontor_context_request_open (self->context, uri);
}

/* Edit in the Outbox and Undo after Send: the message back in a composer. */
static void
edit_outbox_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KontorMailRuntime *self = user_data;

  kontor_mail_composers_edit_outbox (self->composers, self->engine, self->page,
                                     g_variant_get_string (parameter, NULL));
}

static gpointer
mark_read_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  const char *seen[] = { "seen", NULL };

  return kontor_mail_engine_set_flags_sync (engine, data, seen, NULL, cancellable, error)
           ? GINT_TO_POINTER (TRUE)
           : NULL;
}

static void
mark_read_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KontorMailRuntime *self = user_data;

  kontor_mail_engine_run_async (self->engine, mark_read_job, g_variant_dup_strv (parameter, NULL),
                                (GDestroyNotify) g_strfreev, NULL, NULL, NULL, NULL);
}

/* The user's choice, from the page or Mail1.SetWorkOffline, holds after a restart. */
static void
work_offline_cb (KontorMailEngine *engine, GParamSpec *pspec, KontorMailRuntime *self)
{
  g_settings_set_boolean (kontor_context_get_settings (self->context), "mail-work-offline",
                          kontor_mail_engine_get_work_offline (engine));
}

/* Messages waiting in the Outbox keep Kontor running, so that they are sent even when
 * it was started only for the call that queued them. */
static void
outbox_changed_cb (KontorMailOutbox *outbox, KontorMailRuntime *self)
{
  gboolean pending = kontor_mail_outbox_get_n_pending (outbox) > 0;
  GApplication *application = g_application_get_default ();

  if (pending == self->holding || application == NULL)
    return;
  self->holding = pending;
  if (pending)
    g_application_hold (application);
  else
    g_application_release (application);
}

/* Composers ----------------------------------------------------------------------- */

static void
page_compose_cb (KontorMailPage *page, KontorMailRuntime *self)
{
  kontor_mail_composers_open (self->composers, NULL);
}

static void
page_reply_cb (KontorMailPage *page, const char *message_id, int mode, KontorMailRuntime *self)
{
  kontor_mail_composers_reply (self->composers, message_id, mode);
}

static void
edit_draft_cb (GObject *source, const char *message_id, KontorMailRuntime *self)
{
  kontor_mail_composers_edit_draft (self->composers, message_id);
}

static void
dbus_compose_cb (KontorMailDBus *dbus, gpointer fields, KontorMailRuntime *self)
{
  kontor_mail_composers_open_fields (self->composers, fields);
}

/* The table ------------------------------------------------------------------------- */

static KontorMailRuntime *
runtime_start (KontorContext *context)
{
  KontorMailRuntime *self = g_new0 (KontorMailRuntime, 1);
  GSettings *settings = kontor_context_get_settings (context);
  KontorAccountService *accounts = kontor_context_get_account_service (context);
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "kontor", "mail", NULL);
  g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "kontor", "mail", NULL);

  g_return_val_if_fail (accounts != NULL, NULL);

  self->context = g_object_ref (context);
  self->engine = kontor_mail_engine_new (accounts, data_dir, cache_dir);
  self->dbus = kontor_mail_dbus_new (self->engine);
  if (kontor_context_get_connection (context) != NULL)
    kontor_mail_dbus_set_connection (self->dbus, kontor_context_get_connection (context),
                                     kontor_context_get_object_path (context));
  kontor_mail_engine_set_work_offline (self->engine,
                                       g_settings_get_boolean (settings, "mail-work-offline"));
  kontor_mail_engine_set_body_days (self->engine,
                                    g_settings_get_int (settings, "mail-offline-days"));
  g_signal_connect (self->engine, "messages-added", G_CALLBACK (messages_added_cb), self);
  g_signal_connect (self->engine, "notify::work-offline", G_CALLBACK (work_offline_cb), self);
  if (g_application_get_default () != NULL)
    {
      const GActionEntry entries[] = {
        { "mail-open-message", open_message_action_cb, "s" },
        { "mail-mark-read", mark_read_action_cb, "as" },
        { "mail-edit-outbox", edit_outbox_action_cb, "s" },
      };

      g_action_map_add_action_entries (G_ACTION_MAP (g_application_get_default ()), entries,
                                       G_N_ELEMENTS (entries), self);
    }
  kontor_mail_engine_start (self->engine);
  kontor_mail_dbus_watch_outbox (self->dbus);
  self->composers = kontor_mail_composers_new (self->engine, accounts);
  g_signal_connect (self->dbus, "compose", G_CALLBACK (dbus_compose_cb), self);
  g_signal_connect (self->dbus, "edit-draft", G_CALLBACK (edit_draft_cb), self);
  /* Messages a crash interrupted come back in their composers. */
  if (GTK_IS_APPLICATION (g_application_get_default ()))
    kontor_mail_composers_restore (self->composers);
  g_signal_connect (kontor_mail_engine_get_outbox (self->engine), "changed",
                    G_CALLBACK (outbox_changed_cb), self);
  outbox_changed_cb (kontor_mail_engine_get_outbox (self->engine), self);
  return self;
}

static void
runtime_stop (KontorMailRuntime *self)
{
  if (self == NULL)
    return;
  if (g_application_get_default () != NULL)
    {
      g_action_map_remove_action (G_ACTION_MAP (g_application_get_default ()), "mail-open-message");
      g_action_map_remove_action (G_ACTION_MAP (g_application_get_default ()), "mail-mark-read");
      g_action_map_remove_action (G_ACTION_MAP (g_application_get_default ()), "mail-edit-outbox");
    }
  g_signal_handlers_disconnect_by_data (self->engine, self);
  if (kontor_mail_engine_get_outbox (self->engine) != NULL)
    g_signal_handlers_disconnect_by_data (kontor_mail_engine_get_outbox (self->engine), self);
  if (self->holding && g_application_get_default () != NULL)
    g_application_release (g_application_get_default ());
  if (self->page != NULL)
    g_signal_handlers_disconnect_by_data (self->page, self);
  g_signal_handlers_disconnect_by_data (self->dbus, self);
  kontor_mail_dbus_unexport (self->dbus);
  g_clear_object (&self->dbus);
  g_clear_object (&self->composers);
  kontor_mail_engine_shutdown (self->engine);
  g_clear_object (&self->engine);
  g_clear_object (&self->context);
  g_clear_weak_pointer (&self->page);
  g_free (self->pending_uri);
  g_free (self);
}

static void
open_pending (KontorMailRuntime *self)
{
  g_autofree char *uri = g_steal_pointer (&self->pending_uri);

  if (uri == NULL || self->page == NULL)
    return;
  if (g_str_has_prefix (uri, "mid:"))
    kontor_mail_page_open_message (self->page, uri + strlen ("mid:"));
  else
    kontor_mail_page_show_message_id (self->page, uri + strlen ("kontor-mail-id:"));
}

static GObject *
runtime_create_page (KontorMailRuntime *self)
{
  KontorMailPage *page = kontor_mail_page_new (self->engine);

  g_set_weak_pointer (&self->page, page);
  kontor_mail_composers_set_page (self->composers, page);
  g_signal_connect (page, "compose", G_CALLBACK (page_compose_cb), self);
  g_signal_connect (page, "reply", G_CALLBACK (page_reply_cb), self);
  g_signal_connect (page, "edit-draft", G_CALLBACK (edit_draft_cb), self);
  open_pending (self);
  return G_OBJECT (page);
}

/* mid:<message-id> (RFC 2392), mailto: (RFC 6068: a composer), and Kontor's own ids
 * from its notifications. */
static gboolean
runtime_open_uri (KontorMailRuntime *self, const char *uri, GError **error)
{
  if (g_ascii_strncasecmp (uri, "mailto:", strlen ("mailto:")) == 0)
    {
      g_autoptr (KontorMailDraft) draft = kontor_mail_mailto_parse (uri, error);

      if (draft == NULL)
        return FALSE;
      kontor_mail_composers_open (self->composers, draft);
      return TRUE;
    }
  if ((!g_str_has_prefix (uri, "mid:") || uri[4] == '\0') &&
      !g_str_has_prefix (uri, "kontor-mail-id:"))
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED,
                   _ ("Mail opens mid: and mailto: links; “%s” is neither"), uri);
      return FALSE;
    }
  g_free (self->pending_uri);
  self->pending_uri = g_strdup (uri);
  open_pending (self);
  return TRUE;
}

static GDBusInterfaceSkeleton *
runtime_dbus_skeleton (KontorMailRuntime *self, GError **error)
{
  return kontor_mail_dbus_get_skeleton (self->dbus);
}

const KontorMailRuntimeTable *
kontor_mail_runtime_get_table (void)
{
  static const KontorMailRuntimeTable table = {
    runtime_start, runtime_stop, runtime_create_page, runtime_open_uri, runtime_dbus_skeleton,
  };

  return &table;
}
