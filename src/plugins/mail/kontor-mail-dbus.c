/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-dbus.c: io.github.kontor.Mail1. Each call waits until the engine has
 * read the accounts, then runs in a worker thread and answers with the engine's
 * result or a named io.github.kontor.Error. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-error.h"
#include "kontor-mail-content.h"
#include "kontor-dbus-generated.h"
#include "kontor-mail-dbus.h"
#include "kontor-mail-draft-store.h"
#include "kontor-mail-message.h"

struct _KontorMailDBus
{
  GObject parent_instance;

  KontorMailEngine *engine;
  KontorDBusMail1 *skeleton;
  GCancellable *cancellable;
  GDBusConnection *connection;
  char *object_path;
};

G_DEFINE_FINAL_TYPE (KontorMailDBus, kontor_mail_dbus, G_TYPE_OBJECT)

enum
{
  COMPOSE,
  EDIT_DRAFT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  KontorMailDBus *self;
  GDBusMethodInvocation *invocation;
  char *method;
  GVariant *parameters;
} Call;

/* Each deferred or threaded call holds the application (a D-Bus activated service
 * quits when idle, not mid-call); released here, on the main thread, once answered. */
static void
release_application (void)
{
  if (g_application_get_default () != NULL)
    g_application_release (g_application_get_default ());
}

/* A call answered at once counts as activity too: the idle countdown starts again. */
static void
touch_application (void)
{
  if (g_application_get_default () != NULL)
    {
      g_application_hold (g_application_get_default ());
      g_application_release (g_application_get_default ());
    }
}

static void
call_free (gpointer data)
{
  Call *call = data;

  g_object_unref (call->self);
  g_clear_object (&call->invocation);
  g_free (call->method);
  g_variant_unref (call->parameters);
  g_free (call);
}

static GVariant *
folder_to_variant (KontorMailFolder *folder)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", kontor_mail_folder_get_id (folder));
  g_variant_dict_insert (&dict, "account-id", "s",
                         kontor_mail_folder_get_account_id (folder) ?: "");
  g_variant_dict_insert (&dict, "name", "s", kontor_mail_folder_get_name (folder));
  g_variant_dict_insert (&dict, "full-name", "s", kontor_mail_folder_get_full_name (folder) ?: "");
  g_variant_dict_insert (&dict, "role", "s",
                         kontor_mail_role_to_string (kontor_mail_folder_get_role (folder)));
  g_variant_dict_insert (&dict, "total", "u", kontor_mail_folder_get_total (folder));
  g_variant_dict_insert (&dict, "unread", "u", kontor_mail_folder_get_unread (folder));
  g_variant_dict_insert (&dict, "subscribed", "b", kontor_mail_folder_get_subscribed (folder));
  return g_variant_dict_end (&dict);
}

static void
add_folders (GVariantBuilder *builder, GListModel *folders)
{
  for (guint i = 0; i < g_list_model_get_n_items (folders); i++)
    {
      g_autoptr (KontorMailFolder) folder = g_list_model_get_item (folders, i);

      if (kontor_mail_folder_get_kind (folder) == KONTOR_MAIL_FOLDER_KIND_FOLDER)
        g_variant_builder_add_value (builder, folder_to_variant (folder));
      add_folders (builder, G_LIST_MODEL (kontor_mail_folder_get_children (folder)));
    }
}

static GVariant *
message_to_variant (KontorMailMessage *message)
{
  GVariantDict dict;
  g_auto (GStrv) flags = kontor_mail_flags_to_strv (kontor_mail_message_get_flags (message), FALSE);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", kontor_mail_message_get_id (message));
  g_variant_dict_insert (&dict, "subject", "s", kontor_mail_message_get_subject (message));
  g_variant_dict_insert (&dict, "from", "s", kontor_mail_message_get_from (message));
  g_variant_dict_insert (&dict, "to", "s", kontor_mail_message_get_to (message));
  g_variant_dict_insert (&dict, "date", "x", kontor_mail_message_get_date (message));
  g_variant_dict_insert (&dict, "flags", "^as", flags);
  g_variant_dict_insert (&dict, "has-attachments", "b",
                         kontor_mail_message_get_has_attachments (message));
  g_variant_dict_insert (&dict, "size", "u", kontor_mail_message_get_size (message));
  return g_variant_dict_end (&dict);
}

GVariant *
kontor_mail_dbus_describe_message (CamelMimeMessage *mime, const char *message_id)
{
  g_autoptr (KontorMailContent) content = kontor_mail_content_new (mime);
  GVariantBuilder attachments;
  GVariantDict dict;

  g_variant_builder_init (&attachments, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < content->attachments->len; i++)
    {
      KontorMailAttachment *attachment = g_ptr_array_index (content->attachments, i);
      GVariantDict entry;

      g_variant_dict_init (&entry, NULL);
      g_variant_dict_insert (&entry, "name", "s", attachment->name);
      g_variant_dict_insert (&entry, "mime-type", "s", attachment->mime_type);
      g_variant_dict_insert (&entry, "size", "t", (guint64) attachment->size);
      g_variant_builder_add_value (&attachments, g_variant_dict_end (&entry));
    }
  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "id", "s", message_id);
  g_variant_dict_insert (&dict, "subject", "s", content->subject ?: "");
  g_variant_dict_insert (&dict, "from", "s", content->from ?: "");
  g_variant_dict_insert (&dict, "to", "s", content->to ?: "");
  g_variant_dict_insert (&dict, "cc", "s", content->cc ?: "");
  g_variant_dict_insert (&dict, "date", "x", content->date);
  g_variant_dict_insert (&dict, "message-id", "s", content->message_id ?: "");
  g_variant_dict_insert (&dict, "text", "s", content->text ?: "");
  if (content->html != NULL)
    g_variant_dict_insert (&dict, "html", "s", content->html);
  g_variant_dict_insert_value (&dict, "attachments", g_variant_builder_end (&attachments));
  return g_variant_dict_end (&dict);
}

/* Runs in a worker thread; returns the reply's body or NULL with error set. */
/* Send()'s optional "delay" (u, seconds): taken out of @fields, which keeps the rest. */
static gboolean
take_delay (GVariant **fields, guint *delay, GError **error)
{
  g_autoptr (GVariant) value = g_variant_lookup_value (*fields, "delay", NULL);
  GVariantDict dict;

  if (value == NULL)
    return TRUE;
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32) || g_variant_get_uint32 (value) > 86400)
    {
      g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                   _ ("“delay” is a number of seconds (u), at most 86400"));
      return FALSE;
    }
  *delay = g_variant_get_uint32 (value);
  g_variant_dict_init (&dict, *fields);
  g_variant_dict_remove (&dict, "delay");
  g_variant_unref (*fields);
  *fields = g_variant_ref_sink (g_variant_dict_end (&dict));
  return TRUE;
}

static GVariant *
handle_call (KontorMailDBus *self,
             const char *method,
             GVariant *parameters,
             GCancellable *cancellable,
             GError **error)
{
  KontorMailEngine *engine = self->engine;

  if (g_str_equal (method, "ListMessages"))
    {
      const char *folder_id;
      guint offset, limit;
      g_autoptr (KontorMailMessageList) list = NULL;
      GVariantBuilder builder;
      guint n;

      g_variant_get (parameters, "(&suu)", &folder_id, &offset, &limit);
      list = kontor_mail_engine_open_list_sync (engine, folder_id, FALSE, cancellable, error);
      if (list == NULL || !kontor_mail_message_list_reload_sync (list, error))
        return NULL;
      n = g_list_model_get_n_items (G_LIST_MODEL (list));
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
      for (guint i = offset; i < n && (limit == 0 || i - offset < limit); i++)
        {
          g_autoptr (KontorMailMessage) message = g_list_model_get_item (G_LIST_MODEL (list), i);

          g_variant_builder_add_value (&builder, message_to_variant (message));
        }
      return g_variant_new ("(aa{sv})", &builder);
    }
  if (g_str_equal (method, "GetMessage"))
    {
      const char *id;
      g_autoptr (CamelMimeMessage) message = NULL;
      g_autoptr (CamelMessageInfo) info = NULL;
      GVariantDict dict;
      g_auto (GStrv) flags = NULL;

      g_variant_get (parameters, "(&s)", &id);
      message = kontor_mail_engine_get_message_sync (engine, id, cancellable, error);
      if (message == NULL)
        return NULL;
      info = kontor_mail_engine_dup_info_sync (engine, id, cancellable, NULL);
      g_variant_dict_init (&dict, kontor_mail_dbus_describe_message (message, id));
      flags =
        kontor_mail_flags_to_strv (info != NULL ? camel_message_info_get_flags (info) : 0, FALSE);
      g_variant_dict_insert (&dict, "flags", "^as", flags);
      return g_variant_new ("(@a{sv})", g_variant_dict_end (&dict));
    }
  if (g_str_equal (method, "Search"))
    {
      const char *query, *folder_id;
      g_auto (GStrv) ids = NULL;

      g_variant_get (parameters, "(&s&s)", &query, &folder_id);
      ids = kontor_mail_engine_search_sync (engine, query, folder_id, cancellable, error);
      return ids != NULL ? g_variant_new ("(^as)", ids) : NULL;
    }
  if (g_str_equal (method, "SetFlags"))
    {
      g_autofree const char **ids = NULL, **add = NULL, **remove = NULL;

      g_variant_get (parameters, "(^a&s^a&s^a&s)", &ids, &add, &remove);
      return kontor_mail_engine_set_flags_sync (engine, ids, add, remove, cancellable, error)
               ? g_variant_new ("()")
               : NULL;
    }
  if (g_str_equal (method, "Move"))
    {
      g_autofree const char **ids = NULL;
      const char *folder_id;

      g_variant_get (parameters, "(^a&s&s)", &ids, &folder_id);
      return kontor_mail_engine_move_sync (engine, ids, folder_id, cancellable, error)
               ? g_variant_new ("()")
               : NULL;
    }
  if (g_str_equal (method, "Delete"))
    {
      g_autofree const char **ids = NULL;

      g_variant_get (parameters, "(^a&s)", &ids);
      return kontor_mail_engine_delete_sync (engine, ids, cancellable, error) ? g_variant_new ("()")
                                                                              : NULL;
    }
  if (g_str_equal (method, "Sync"))
    {
      const char *account_id;

      g_variant_get (parameters, "(&s)", &account_id);
      return kontor_mail_engine_sync_sync (engine, account_id, cancellable, error)
               ? g_variant_new ("()")
               : NULL;
    }
  if (g_str_equal (method, "SaveAttachment"))
    {
      const char *id, *path;
      guint index;
      g_autoptr (CamelMimeMessage) message = NULL;
      g_autoptr (KontorMailContent) content = NULL;
      g_autoptr (GFile) file = NULL;

      g_variant_get (parameters, "(&su&s)", &id, &index, &path);
      if (!g_path_is_absolute (path))
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                       _ ("“%s” is not an absolute file name"), path);
          return NULL;
        }
      message = kontor_mail_engine_get_message_sync (engine, id, cancellable, error);
      if (message == NULL)
        return NULL;
      content = kontor_mail_content_new (message);
      if (index >= content->attachments->len)
        {
          g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                       _ ("The message has no attachment number %u"), index);
          return NULL;
        }
      file = g_file_new_for_path (path);
      if (!kontor_mail_attachment_save (g_ptr_array_index (content->attachments, index), file,
                                        cancellable, error))
        {
          if ((*error)->domain != KONTOR_ERROR)
            {
              (*error)->domain = KONTOR_ERROR;
              (*error)->code = KONTOR_ERROR_FAILED;
            }
          return NULL;
        }
      return g_variant_new ("()");
    }
  if (g_str_equal (method, "CreateFolder") || g_str_equal (method, "RenameFolder") ||
      g_str_equal (method, "DeleteFolder"))
    {
      const char *folder_id, *name = NULL;
      const char *op = g_str_equal (method, "CreateFolder")   ? "create"
                       : g_str_equal (method, "RenameFolder") ? "rename"
                                                              : "delete";
      g_autofree char *result = NULL;

      if (g_str_equal (op, "delete"))
        g_variant_get (parameters, "(&s)", &folder_id);
      else
        g_variant_get (parameters, "(&s&s)", &folder_id, &name);
      result = kontor_mail_engine_folder_op_sync (engine, op, folder_id, name, cancellable, error);
      if (result == NULL)
        return NULL;
      return g_str_equal (op, "delete") ? g_variant_new ("()") : g_variant_new ("(s)", result);
    }
  if (g_str_equal (method, "Send"))
    {
      g_autoptr (GVariant) fields_variant = g_variant_get_child_value (parameters, 0);
      g_autoptr (KontorMailComposeFields) fields = NULL;
      g_autofree char *id = NULL;
      guint delay = 0;

      /* "delay" is how long to hold the message, not part of it. */
      if (!take_delay (&fields_variant, &delay, error))
        return NULL;
      fields = kontor_mail_compose_fields_new_from_variant (fields_variant, error);
      if (fields == NULL ||
          (id = kontor_mail_outbox_queue_held_sync (kontor_mail_engine_get_outbox (engine), fields,
                                                    delay, cancellable, error)) == NULL)
        return NULL;
      return g_variant_new ("(s)", id);
    }
  if (g_str_equal (method, "ListOutbox"))
    return g_variant_new ("(@aa{sv})",
                          kontor_mail_outbox_list (kontor_mail_engine_get_outbox (engine)));
  if (g_str_equal (method, "CancelOutbox") || g_str_equal (method, "RetryOutbox"))
    {
      KontorMailOutbox *outbox = kontor_mail_engine_get_outbox (engine);
      const char *id;

      g_variant_get (parameters, "(&s)", &id);
      if (g_str_equal (method, "CancelOutbox") ? !kontor_mail_outbox_cancel_sync (outbox, id, error)
                                               : !kontor_mail_outbox_retry_sync (outbox, id, error))
        return NULL;
      return g_variant_new ("()");
    }
  g_set_error (error, KONTOR_ERROR, KONTOR_ERROR_NOT_SUPPORTED, _ ("Unknown method %s"), method);
  return NULL;
}

static void
call_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  GVariant *reply = handle_call (call->self, call->method, call->parameters, cancellable, &error);

  if (reply == NULL)
    {
      kontor_mail_error_from_camel (&error);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, g_variant_ref_sink (reply), (GDestroyNotify) g_variant_unref);
}

typedef struct
{
  GDBusMethodInvocation *invocation;
  GVariant *reply;
  GError *error;
} Answer;

static gboolean
answer_cb (gpointer data)
{
  Answer *answer = data;

  if (answer->reply == NULL)
    g_dbus_method_invocation_take_error (answer->invocation, answer->error);
  else
    g_dbus_method_invocation_return_value (answer->invocation, answer->reply);
  g_clear_pointer (&answer->reply, g_variant_unref);
  g_free (answer);
  release_application ();
  return G_SOURCE_REMOVE;
}

/* Answered after the updates the call queued (folder tree, counts: low-priority
 * idles), so a script's next call sees them. */
static void
call_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Call *call = g_task_get_task_data (G_TASK (result));
  Answer *answer = g_new0 (Answer, 1);

  answer->reply = g_task_propagate_pointer (G_TASK (result), &answer->error);
  answer->invocation = g_steal_pointer (&call->invocation);
  g_idle_add_full (G_PRIORITY_LOW + 1, answer_cb, answer, NULL);
}

static void
run_call (Call *call)
{
  g_autoptr (GTask) task = g_task_new (call->self, call->self->cancellable, call_done_cb, NULL);

  g_task_set_task_data (task, call, call_free);
  g_task_run_in_thread (task, call_thread);
}

static void
engine_ready_cb (KontorMailEngine *engine, GParamSpec *pspec, Call *call)
{
  g_signal_handlers_disconnect_by_data (engine, call);
  run_call (call);
}

static gboolean handle_method_cb (KontorMailDBus *self, GDBusMethodInvocation *invocation);

static void
list_folders_when_ready_cb (KontorMailEngine *engine, GParamSpec *pspec, Call *call)
{
  g_signal_handlers_disconnect_by_data (engine, call);
  handle_method_cb (call->self, call->invocation);
  call_free (call);
  release_application ();
}

/* Every method goes through here (connected swapped, so the signals' own arguments
 * are left aside and read from the invocation): the engine reads the accounts first. */
static gboolean
handle_method_cb (KontorMailDBus *self, GDBusMethodInvocation *invocation)
{
  const char *method = g_dbus_method_invocation_get_method_name (invocation);
  Call *call;

  if (kontor_mail_dbus_identities_handle (self->engine, invocation))
    return TRUE;
  if (g_str_equal (method, "ListFolders"))
    {
      const char *account_id;
      GVariantBuilder builder;

      if (!kontor_mail_engine_get_ready (self->engine))
        goto defer;
      g_variant_get (g_dbus_method_invocation_get_parameters (invocation), "(&s)", &account_id);
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
      if (*account_id != '\0')
        {
          KontorMailAccount *account = kontor_mail_engine_lookup_account (self->engine, account_id);

          if (account == NULL)
            {
              g_variant_builder_clear (&builder);
              g_dbus_method_invocation_return_error (invocation, KONTOR_ERROR,
                                                     KONTOR_ERROR_NOT_FOUND,
                                                     _ ("No mail account “%s” exists"), account_id);
              return TRUE;
            }
          add_folders (&builder, G_LIST_MODEL (kontor_mail_folder_get_children (
                                   kontor_mail_account_get_root (account))));
        }
      else
        add_folders (&builder, kontor_mail_engine_get_folders (self->engine));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(aa{sv})", &builder));
      touch_application ();
      return TRUE;
    }
  if (g_str_equal (method, "Compose"))
    {
      g_autoptr (GVariant) fields_variant =
        g_variant_get_child_value (g_dbus_method_invocation_get_parameters (invocation), 0);
      g_autoptr (KontorMailComposeFields) fields = NULL;
      GError *error = NULL;

      fields = kontor_mail_compose_fields_new_from_variant (fields_variant, &error);
      for (guint i = 0; fields != NULL && fields->attachments != NULL && fields->attachments[i];
           i++)
        if (!g_path_is_absolute (fields->attachments[i]))
          {
            g_set_error (&error, KONTOR_ERROR, KONTOR_ERROR_INVALID_ARGUMENT,
                         _ ("“%s” is not an absolute file name"), fields->attachments[i]);
            g_clear_pointer (&fields, kontor_mail_compose_fields_free);
          }
      if (fields == NULL)
        {
          g_dbus_method_invocation_take_error (invocation, error);
          return TRUE;
        }
      g_signal_emit (self, signals[COMPOSE], 0, fields);
      g_dbus_method_invocation_return_value (invocation, NULL);
      touch_application ();
      return TRUE;
    }
  if (g_str_equal (method, "EditDraft"))
    {
      const char *message_id = NULL;
      g_autofree char *folder_id = NULL;

      /* The folders and their roles are known once the engine read the accounts. */
      if (!kontor_mail_engine_get_ready (self->engine))
        goto defer;
      g_variant_get (g_dbus_method_invocation_get_parameters (invocation), "(&s)", &message_id);
      if (!kontor_mail_message_id_parse (message_id, &folder_id, NULL))
        g_dbus_method_invocation_return_error (invocation, KONTOR_ERROR,
                                               KONTOR_ERROR_INVALID_ARGUMENT,
                                               _ ("“%s” is not a message id"), message_id);
      else if (kontor_mail_engine_lookup_folder (self->engine, folder_id) == NULL)
        g_dbus_method_invocation_return_error (invocation, KONTOR_ERROR, KONTOR_ERROR_NOT_FOUND,
                                               _ ("No folder “%s” exists"), folder_id);
      else if (!kontor_mail_draft_is_stored (self->engine, message_id))
        g_dbus_method_invocation_return_error (invocation, KONTOR_ERROR,
                                               KONTOR_ERROR_INVALID_ARGUMENT,
                                               _ ("“%s” is not in a Drafts folder"), message_id);
      else
        {
          g_signal_emit (self, signals[EDIT_DRAFT], 0, message_id);
          g_dbus_method_invocation_return_value (invocation, NULL);
        }
      touch_application ();
      return TRUE;
    }
  if (g_str_equal (method, "SetWorkOffline"))
    {
      gboolean offline;

      g_variant_get (g_dbus_method_invocation_get_parameters (invocation), "(b)", &offline);
      kontor_mail_engine_set_work_offline (self->engine, offline);
      g_dbus_method_invocation_return_value (invocation, NULL);
      touch_application ();
      return TRUE;
    }

defer:
  if (g_application_get_default () != NULL)
    g_application_hold (g_application_get_default ());
  call = g_new0 (Call, 1);
  call->self = g_object_ref (self);
  call->invocation = g_object_ref (invocation);
  call->method = g_strdup (method);
  call->parameters = g_variant_ref (g_dbus_method_invocation_get_parameters (invocation));
  if (g_str_equal (method, "ListFolders") || g_str_equal (method, "EditDraft"))
    g_signal_connect (self->engine, "notify::ready", G_CALLBACK (list_folders_when_ready_cb), call);
  else if (kontor_mail_engine_get_ready (self->engine))
    run_call (call);
  else
    g_signal_connect (self->engine, "notify::ready", G_CALLBACK (engine_ready_cb), call);
  return TRUE;
}

/* Mail1's skeleton answers calls through the plugin's stub and is not exported
 * itself, so its signals are sent here. */
static void
messages_added_cb (KontorMailEngine *engine,
                   const char *folder_id,
                   const char *const *ids,
                   KontorMailDBus *self)
{
  if (self->connection != NULL)
    g_dbus_connection_emit_signal (self->connection, NULL, self->object_path,
                                   "io.github.kontor.Mail1", "MessagesAdded",
                                   g_variant_new ("(s^as)", folder_id, ids), NULL);
}

static void
outbox_changed_cb (KontorMailOutbox *outbox, KontorMailDBus *self)
{
  if (self->connection != NULL)
    g_dbus_connection_emit_signal (self->connection, NULL, self->object_path,
                                   "io.github.kontor.Mail1", "OutboxChanged", NULL, NULL);
}

/* The outbox exists once the engine started. */
void
kontor_mail_dbus_watch_outbox (KontorMailDBus *self)
{
  KontorMailOutbox *outbox = kontor_mail_engine_get_outbox (self->engine);

  g_return_if_fail (KONTOR_IS_MAIL_DBUS (self));
  if (outbox != NULL)
    g_signal_connect_object (outbox, "changed", G_CALLBACK (outbox_changed_cb), self, 0);
}

static void
work_offline_cb (KontorMailEngine *engine, GParamSpec *pspec, KontorMailDBus *self)
{
  gboolean offline = kontor_mail_engine_get_work_offline (engine);
  GVariantBuilder changed;

  if (self->skeleton != NULL)
    kontor_dbus_mail1_set_work_offline (self->skeleton, offline);
  if (self->connection == NULL)
    return;
  g_variant_builder_init (&changed, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (&changed, "{sv}", "WorkOffline", g_variant_new_boolean (offline));
  g_dbus_connection_emit_signal (
    self->connection, NULL, self->object_path, "org.freedesktop.DBus.Properties",
    "PropertiesChanged", g_variant_new ("(sa{sv}as)", "io.github.kontor.Mail1", &changed, NULL),
    NULL);
}

/* Where the signals go: the application's connection and object path. */
void
kontor_mail_dbus_set_connection (KontorMailDBus *self,
                                 GDBusConnection *connection,
                                 const char *object_path)
{
  g_return_if_fail (KONTOR_IS_MAIL_DBUS (self));
  g_set_object (&self->connection, connection);
  g_free (self->object_path);
  self->object_path = g_strdup (object_path);
}

static void
kontor_mail_dbus_dispose (GObject *object)
{
  KontorMailDBus *self = KONTOR_MAIL_DBUS (object);

  kontor_mail_dbus_unexport (self);
  g_cancellable_cancel (self->cancellable);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (kontor_mail_dbus_parent_class)->dispose (object);
}

static void
kontor_mail_dbus_finalize (GObject *object)
{
  KontorMailDBus *self = KONTOR_MAIL_DBUS (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_free (self->object_path);

  G_OBJECT_CLASS (kontor_mail_dbus_parent_class)->finalize (object);
}

static void
kontor_mail_dbus_class_init (KontorMailDBusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kontor_mail_dbus_dispose;
  object_class->finalize = kontor_mail_dbus_finalize;

  /**
   * KontorMailDBus::compose:
   * @fields: (type KontorMailComposeFields): what the composer starts with
   *
   * Mail1.Compose() was called: a composer should open.
   */
  signals[COMPOSE] = g_signal_new ("compose", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /**
   * KontorMailDBus::edit-draft:
   * @message_id: a message of a Drafts folder
   *
   * Mail1.EditDraft() was called: a composer should open with that draft.
   */
  signals[EDIT_DRAFT] = g_signal_new ("edit-draft", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kontor_mail_dbus_init (KontorMailDBus *self)
{
  self->cancellable = g_cancellable_new ();
}

KontorMailDBus *
kontor_mail_dbus_new (KontorMailEngine *engine)
{
  KontorMailDBus *self = g_object_new (KONTOR_TYPE_MAIL_DBUS, NULL);

  self->engine = g_object_ref (engine);
  g_signal_connect (engine, "messages-added", G_CALLBACK (messages_added_cb), self);
  g_signal_connect (engine, "notify::work-offline", G_CALLBACK (work_offline_cb), self);
  return self;
}

/* The skeleton with every method connected; exporting is the caller's (the plugin
 * exports it through a KontorLazyInterface). */
GDBusInterfaceSkeleton *
kontor_mail_dbus_get_skeleton (KontorMailDBus *self)
{
  static const char *const methods[] = {
    "handle-list-folders",     "handle-list-messages", "handle-get-message",
    "handle-search",           "handle-set-flags",     "handle-move",
    "handle-delete",           "handle-sync",          "handle-save-attachment",
    "handle-create-folder",    "handle-rename-folder", "handle-delete-folder",
    "handle-set-work-offline", "handle-send",          "handle-list-outbox",
    "handle-cancel-outbox",    "handle-retry-outbox",  "handle-compose",
    "handle-list-identities",  "handle-set-aliases",   "handle-set-signature",
    "handle-edit-draft",
  };

  g_return_val_if_fail (KONTOR_IS_MAIL_DBUS (self), NULL);
  if (self->skeleton == NULL)
    {
      self->skeleton = kontor_dbus_mail1_skeleton_new ();
      for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
        g_signal_connect_swapped (self->skeleton, methods[i], G_CALLBACK (handle_method_cb), self);
      kontor_dbus_mail1_set_work_offline (self->skeleton,
                                          kontor_mail_engine_get_work_offline (self->engine));
    }
  return G_DBUS_INTERFACE_SKELETON (self->skeleton);
}

void
kontor_mail_dbus_unexport (KontorMailDBus *self)
{
  g_return_if_fail (KONTOR_IS_MAIL_DBUS (self));
  if (self->skeleton == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->skeleton, self);
  if (g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton)) != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
  g_clear_object (&self->skeleton);
}
