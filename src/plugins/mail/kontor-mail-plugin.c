/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-plugin.c: the Mail plugin as the shell sees it. Loading costs nothing:
 * the engine starts when the page is first shown, when Mail1 is first called, or a
 * moment after start-up so new mail is noticed. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "kontor-core.h"
#include "kontor-mail-dbus.h"
#include "kontor-mail-engine.h"
#include "kontor-mail-message.h"
#include "kontor-mail-page.h"

#define ENGINE_START_DELAY_MS 1500

typedef struct
{
  GObject parent_instance;

  KontorContext *context;
  KontorMailEngine *engine;
  KontorMailDBus *dbus;
  GSimpleActionGroup *actions;
  KontorMailPage *page;
  guint start_id;
  char *pending_uri;
} KontorMailPlugin;

typedef GObjectClass KontorMailPluginClass;

static void plugin_iface_init (KontorPluginInterface *iface);
GType kontor_mail_plugin_get_type (void);

G_DEFINE_FINAL_TYPE_WITH_CODE (KontorMailPlugin,
                               kontor_mail_plugin,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KONTOR_TYPE_PLUGIN, plugin_iface_init))

static KontorMailEngine *
ensure_engine (KontorMailPlugin *self)
{
  g_clear_handle_id (&self->start_id, g_source_remove);
  kontor_mail_engine_start (self->engine);
  return self->engine;
}

static gboolean
start_engine_cb (gpointer data)
{
  KontorMailPlugin *self = data;

  self->start_id = 0;
  ensure_engine (self);
  return G_SOURCE_REMOVE;
}

/* New mail ----------------------------------------------------------------------------- */

static gpointer
describe_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  return kontor_mail_engine_dup_info_sync (engine, data, cancellable, error);
}

typedef struct
{
  KontorMailPlugin *self;
  GStrv ids;
} Announcement;

static void
announcement_free (Announcement *announcement)
{
  g_object_unref (announcement->self);
  g_strfreev (announcement->ids);
  g_free (announcement);
}

static void
described_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Announcement *announcement = user_data;
  g_autoptr (CamelMessageInfo) info =
    kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, NULL);
  GApplication *application = g_application_get_default ();
  guint n = g_strv_length (announcement->ids);
  g_autoptr (GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *body = NULL;

  if (application == NULL || info == NULL ||
      (camel_message_info_get_flags (info) & CAMEL_MESSAGE_SEEN))
    {
      announcement_free (announcement);
      return;
    }
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
                                                announcement->ids[n - 1]);
  g_notification_add_button_with_target_value (
    notification, _ ("Mark as Read"), "app.mail-mark-read",
    g_variant_new_strv ((const char *const *) announcement->ids, -1));
  /* One notification for the latest batch: a new one replaces it. */
  g_application_send_notification (application, "kontor-mail-new", notification);
  announcement_free (announcement);
}

static void
messages_added_cb (KontorMailEngine *engine,
                   const char *folder_id,
                   const char *const *ids,
                   KontorMailPlugin *self)
{
  g_autofree char *full_name = NULL;
  Announcement *announcement;
  guint n = g_strv_length ((char **) ids);

  if (n == 0 || !kontor_mail_folder_id_parse (folder_id, NULL, &full_name) ||
      g_ascii_strcasecmp (full_name, "INBOX") != 0)
    return;
  announcement = g_new0 (Announcement, 1);
  announcement->self = g_object_ref (self);
  announcement->ids = g_strdupv ((char **) ids);
  kontor_mail_engine_run_async (engine, describe_job, g_strdup (ids[n - 1]), g_free, g_object_unref,
                                NULL, described_cb, announcement);
}

static void
open_message_action_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  KontorMailPlugin *self = user_data;
  g_autofree char *uri =
    g_strconcat ("kontor-mail-id:", g_variant_get_string (parameter, NULL), NULL);

  kontor_context_request_open (self->context, uri);
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
  KontorMailPlugin *self = user_data;

  kontor_mail_engine_run_async (ensure_engine (self), mark_read_job,
                                g_variant_dup_strv (parameter, NULL), (GDestroyNotify) g_strfreev,
                                NULL, NULL, NULL, NULL);
}

static gboolean
kontor_mail_plugin_load (KontorPlugin *plugin, KontorContext *context, GError **error)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "kontor", "mail", NULL);
  g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "kontor", "mail", NULL);

  self->context = g_object_ref (context);
  self->engine =
    kontor_mail_engine_new (kontor_context_get_account_service (context), data_dir, cache_dir);
  self->dbus = kontor_mail_dbus_new (self->engine);
  kontor_mail_engine_set_work_offline (
    self->engine,
    g_settings_get_boolean (kontor_context_get_settings (context), "mail-work-offline"));
  kontor_mail_engine_set_body_days (
    self->engine, g_settings_get_int (kontor_context_get_settings (context), "mail-offline-days"));
  g_signal_connect (self->engine, "messages-added", G_CALLBACK (messages_added_cb), self);
  if (g_application_get_default () != NULL)
    {
      const GActionEntry entries[] = {
        { "mail-open-message", open_message_action_cb, "s" },
        { "mail-mark-read", mark_read_action_cb, "as" },
      };

      g_action_map_add_action_entries (G_ACTION_MAP (g_application_get_default ()), entries,
                                       G_N_ELEMENTS (entries), self);
    }
  self->start_id = g_timeout_add (ENGINE_START_DELAY_MS, start_engine_cb, self);
  return TRUE;
}

static void
kontor_mail_plugin_unload (KontorPlugin *plugin)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;

  g_clear_handle_id (&self->start_id, g_source_remove);
  if (g_application_get_default () != NULL && self->engine != NULL)
    {
      g_action_map_remove_action (G_ACTION_MAP (g_application_get_default ()), "mail-open-message");
      g_action_map_remove_action (G_ACTION_MAP (g_application_get_default ()), "mail-mark-read");
    }
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->dbus != NULL)
    kontor_mail_dbus_unexport (self->dbus);
  g_clear_object (&self->dbus);
  if (self->engine != NULL)
    kontor_mail_engine_shutdown (self->engine);
  g_clear_object (&self->engine);
  g_clear_object (&self->context);
  g_clear_weak_pointer (&self->page);
}

static const char *
kontor_mail_plugin_get_title (KontorPlugin *plugin)
{
  return _ ("Mail");
}

static const char *
kontor_mail_plugin_get_icon_name (KontorPlugin *plugin)
{
  return "mail-unread-symbolic";
}

static int
kontor_mail_plugin_get_order (KontorPlugin *plugin)
{
  return 10;
}

static GObject *
kontor_mail_plugin_create_page (KontorPlugin *plugin)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;
  KontorMailPage *page = kontor_mail_page_new (ensure_engine (self));

  g_set_weak_pointer (&self->page, page);
  if (self->pending_uri != NULL && g_str_has_prefix (self->pending_uri, "mid:"))
    kontor_mail_page_open_message (page, self->pending_uri + strlen ("mid:"));
  else if (self->pending_uri != NULL)
    kontor_mail_page_show_message_id (page, self->pending_uri + strlen ("kontor-mail-id:"));
  g_clear_pointer (&self->pending_uri, g_free);
  return G_OBJECT (page);
}

static GActionGroup *
kontor_mail_plugin_get_action_group (KontorPlugin *plugin)
{
  return G_ACTION_GROUP (((KontorMailPlugin *) plugin)->actions);
}

static const char *const *
kontor_mail_plugin_get_uri_schemes (KontorPlugin *plugin)
{
  static const char *const schemes[] = { "mid", "kontor-mail-id", NULL };

  return schemes;
}

static const char *const *
kontor_mail_plugin_get_mime_types (KontorPlugin *plugin)
{
  static const char *const types[] = { "message/rfc822", NULL };

  return types;
}

/* mid:<message-id> (RFC 2392): shown in the reader once the page exists. */
static gboolean
kontor_mail_plugin_open_uri (KontorPlugin *plugin, const char *uri, GError **error)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;

  ensure_engine (self);
  /* Kontor's own message ids, from its notifications. */
  if (g_str_has_prefix (uri, "kontor-mail-id:"))
    {
      if (self->page != NULL)
        kontor_mail_page_show_message_id (self->page, uri + strlen ("kontor-mail-id:"));
      else
        {
          g_free (self->pending_uri);
          self->pending_uri = g_strdup (uri);
        }
      return TRUE;
    }
  if (!g_str_has_prefix (uri, "mid:") || uri[4] == '\0')
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED,
                   _ ("Mail opens mid: links; “%s” is not one"), uri);
      return FALSE;
    }
  if (self->page != NULL)
    kontor_mail_page_open_message (self->page, uri + strlen ("mid:"));
  else
    {
      g_free (self->pending_uri);
      self->pending_uri = g_strdup (uri);
    }
  return TRUE;
}

static gboolean
kontor_mail_plugin_export_dbus (KontorPlugin *plugin,
                                GDBusConnection *connection,
                                const char *object_path,
                                GError **error)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;

  return kontor_mail_dbus_export (self->dbus, connection, object_path, error);
}

static void
kontor_mail_plugin_unexport_dbus (KontorPlugin *plugin)
{
  KontorMailPlugin *self = (KontorMailPlugin *) plugin;

  if (self->dbus != NULL)
    kontor_mail_dbus_unexport (self->dbus);
}

static void
plugin_iface_init (KontorPluginInterface *iface)
{
  iface->load = kontor_mail_plugin_load;
  iface->unload = kontor_mail_plugin_unload;
  iface->get_title = kontor_mail_plugin_get_title;
  iface->get_icon_name = kontor_mail_plugin_get_icon_name;
  iface->get_order = kontor_mail_plugin_get_order;
  iface->create_page = kontor_mail_plugin_create_page;
  iface->get_action_group = kontor_mail_plugin_get_action_group;
  iface->get_uri_schemes = kontor_mail_plugin_get_uri_schemes;
  iface->get_mime_types = kontor_mail_plugin_get_mime_types;
  iface->open_uri = kontor_mail_plugin_open_uri;
  iface->export_dbus = kontor_mail_plugin_export_dbus;
  iface->unexport_dbus = kontor_mail_plugin_unexport_dbus;
}

static void
kontor_mail_plugin_dispose (GObject *object)
{
  kontor_mail_plugin_unload (KONTOR_PLUGIN (object));
  g_clear_object (&((KontorMailPlugin *) object)->actions);
  g_clear_pointer (&((KontorMailPlugin *) object)->pending_uri, g_free);

  G_OBJECT_CLASS (kontor_mail_plugin_parent_class)->dispose (object);
}

static void
kontor_mail_plugin_class_init (KontorMailPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kontor_mail_plugin_dispose;
}

static void
kontor_mail_plugin_init (KontorMailPlugin *self)
{
  self->actions = g_simple_action_group_new ();
}

G_MODULE_EXPORT void g_io_module_load (GIOModule *module);
G_MODULE_EXPORT void g_io_module_unload (GIOModule *module);

G_MODULE_EXPORT void
g_io_module_load (GIOModule *module)
{
  /* Types registered statically: the module stays loaded for the process. */
  g_type_module_use (G_TYPE_MODULE (module));
  g_io_extension_point_implement (KONTOR_PLUGIN_EXTENSION_POINT, kontor_mail_plugin_get_type (),
                                  "mail", 0);
}

G_MODULE_EXPORT void
g_io_module_unload (GIOModule *module)
{
}
