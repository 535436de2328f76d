/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-reader.c: the reader pane. The message is fetched and decoded in a worker
 * thread (kontor_mail_content_new()), then its body goes to KontorMailWebView with
 * remote content blocked unless the user allowed it for this message or sender. A
 * message that cannot be understood shows its source and a notice. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-content.h"
#include "kontor-mail-draft-store.h"
#include "kontor-mail-message.h"
#include "kontor-mail-reader.h"
#include "kontor-mail-web-view.h"

struct _KontorMailReader
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkStack *stack;
  AdwStatusPage *empty_page;
  AdwStatusPage *error_page;
  GtkLabel *subject_label;
  GtkLabel *from_label;
  GtkLabel *to_label;
  GtkLabel *date_label;
  GtkRevealer *notice_revealer;
  GtkLabel *notice_label;
  GtkRevealer *remote_revealer;
  GtkButton *always_button;
  GtkWidget *edit_draft_button;
  GtkRevealer *attachments_revealer;
  GtkFlowBox *attachments_box;
  GtkStack *body_stack;
  KontorMailWebView *web_view;
  GtkTextView *source_view;

  /* Owned */
  KontorMailEngine *engine;
  GSettings *settings;
  GCancellable *cancellable;
  KontorMailContent *content;
  char *message_id;
  char *sender;
  gboolean allow_remote;
  gboolean show_source;
};

G_DEFINE_FINAL_TYPE (KontorMailReader, kontor_mail_reader, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SHOW_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The sender's bare address, for the "always show remote content" list. */
static char *
sender_address (const char *from)
{
  g_autoptr (CamelInternetAddress) address = camel_internet_address_new ();
  const char *email = NULL;

  if (from == NULL || camel_address_decode (CAMEL_ADDRESS (address), from) <= 0 ||
      !camel_internet_address_get (address, 0, NULL, &email) || email == NULL)
    return NULL;
  return g_ascii_strdown (email, -1);
}

static gboolean
sender_allowed (KontorMailReader *self)
{
  g_auto (GStrv) senders = g_settings_get_strv (self->settings, "mail-remote-content-senders");

  return self->sender != NULL && g_strv_contains ((const char *const *) senders, self->sender);
}

static GBytes *
resolve_cid_cb (const char *cid_uri, char **mime_type, gpointer user_data)
{
  KontorMailContent *content = user_data;
  CamelMimePart *part = kontor_mail_content_find_cid (content, cid_uri);
  g_autoptr (CamelContentType) type = NULL;

  if (part == NULL)
    return NULL;
  type = camel_mime_part_get_content_type (part) != NULL
           ? camel_content_type_ref (camel_mime_part_get_content_type (part))
           : NULL;
  if (mime_type != NULL)
    *mime_type =
      type != NULL ? camel_content_type_simple (type) : g_strdup ("application/octet-stream");
  return kontor_mail_part_dup_bytes (part, NULL, NULL);
}

static void
load_body (KontorMailReader *self)
{
  g_autofree char *document = NULL;
  gboolean remote = self->allow_remote || sender_allowed (self);

  document = kontor_mail_content_build_document (self->content, remote);
  kontor_mail_web_view_set_allow_remote (self->web_view, remote);
  kontor_mail_web_view_load (self->web_view, document, resolve_cid_cb,
                             kontor_mail_content_ref (self->content),
                             (GDestroyNotify) kontor_mail_content_unref);
  gtk_revealer_set_reveal_child (self->remote_revealer,
                                 !remote && kontor_mail_content_has_remote_content (self->content));
}

/* The message as received (Camel's own writer would add missing headers), decoded for
 * the source view; in the worker thread, since a message can be large. */
static char *
dup_source_text (KontorMailContent *content)
{
  CamelMimeMessage *message = kontor_mail_content_get_message (content);
  g_autoptr (GBytes) bytes = kontor_mail_message_dup_source (message, NULL, NULL);
  gsize length = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &length) : "";

  return kontor_mail_decode_to_utf8 (data, length, NULL);
}

typedef struct
{
  KontorMailContent *content;
  char *source;
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  g_clear_pointer (&loaded->content, kontor_mail_content_unref);
  g_free (loaded->source);
  g_free (loaded);
}

static void
fill_attachments (KontorMailReader *self)
{
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_box))) != NULL)
    gtk_flow_box_remove (self->attachments_box, child);
  for (guint i = 0; i < self->content->attachments->len; i++)
    {
      KontorMailAttachment *attachment = g_ptr_array_index (self->content->attachments, i);
      g_autoptr (GMenu) menu = g_menu_new ();
      g_autofree char *size = g_format_size (attachment->size);
      g_autofree char *label = g_strdup_printf ("%s (%s)", attachment->name, size);
      g_autofree char *open = g_strdup_printf ("reader.open-attachment(uint32 %u)", i);
      g_autofree char *save = g_strdup_printf ("reader.save-attachment(uint32 %u)", i);
      GtkWidget *button = gtk_menu_button_new ();
      GtkWidget *content = adw_button_content_new ();

      /* Pictures shown in the body are parts of it, not attachments to list. */
      if (attachment->is_inline && attachment->is_referenced)
        continue;
      g_menu_append (menu, _ ("_Open"), open);
      g_menu_append (menu, _ ("_Save…"), save);
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "mail-attachment-symbolic");
      gtk_menu_button_set_child (GTK_MENU_BUTTON (button), content);
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
      gtk_widget_set_tooltip_text (button, attachment->mime_type);
      gtk_flow_box_append (self->attachments_box, button);
      shown++;
    }
  gtk_revealer_set_reveal_child (self->attachments_revealer, shown > 0);
}

static void
show_content (KontorMailReader *self)
{
  KontorMailContent *content = self->content;
  g_autoptr (GDateTime) date =
    content->date > 0 ? g_date_time_new_from_unix_local (content->date) : NULL;
  g_autofree char *date_text = date != NULL ? g_date_time_format (date, "%c") : g_strdup ("");
  g_autofree char *to = NULL;
  g_autofree char *always = NULL;

  g_free (self->sender);
  self->sender = sender_address (content->from);
  gtk_label_set_text (self->subject_label, content->subject != NULL && *content->subject != '\0'
                                             ? content->subject
                                             : _ ("(No Subject)"));
  gtk_label_set_text (self->from_label, content->from != NULL ? content->from : "");
  if (content->cc != NULL && *content->cc != '\0')
    /* Translators: recipients of a message: "To: a, b · Cc: c" */
    to = g_strdup_printf (_ ("To: %s · Cc: %s"), content->to ? content->to : "", content->cc);
  else
    to = g_strdup_printf (_ ("To: %s"), content->to ? content->to : "");
  gtk_label_set_text (self->to_label, to);
  gtk_label_set_text (self->date_label, date_text);
  always = self->sender != NULL ? g_strdup_printf (_ ("_Always for %s"), self->sender) : NULL;
  gtk_button_set_label (self->always_button,
                        always != NULL ? always : _ ("_Always for This Sender"));
  gtk_widget_set_visible (GTK_WIDGET (self->always_button), self->sender != NULL);

  gtk_label_set_text (self->notice_label, content->problem != NULL ? content->problem : "");
  gtk_revealer_set_reveal_child (self->notice_revealer, content->is_partial_or_broken);
  fill_attachments (self);
  load_body (self);
  gtk_stack_set_visible_child_name (
    self->body_stack, self->show_source || (content->is_partial_or_broken &&
                                            (content->text == NULL || *content->text == '\0'))
                        ? "source"
                        : "web");
  gtk_stack_set_visible_child_name (self->stack, "message");
}

static gpointer
content_job (KontorMailEngine *engine, gpointer data, GCancellable *cancellable, GError **error)
{
  g_autoptr (CamelMimeMessage) message =
    kontor_mail_engine_get_message_sync (engine, data, cancellable, error);
  Loaded *loaded;

  if (message == NULL)
    return NULL;
  loaded = g_new0 (Loaded, 1);
  loaded->content = kontor_mail_content_new (message);
  loaded->source = dup_source_text (loaded->content);
  return loaded;
}

static void
content_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KontorMailReader) self = user_data;
  g_autoptr (GError) error = NULL;
  Loaded *loaded = kontor_mail_engine_run_finish (KONTOR_MAIL_ENGINE (object), result, &error);

  if (loaded == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  g_clear_pointer (&self->content, kontor_mail_content_unref);
  self->content = g_steal_pointer (&loaded->content);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->source_view), loaded->source, -1);
  loaded_free (loaded);
  show_content (self);
}

void
kontor_mail_reader_show (KontorMailReader *self, const char *message_id)
{
  g_return_if_fail (KONTOR_IS_MAIL_READER (self));

  if (g_strcmp0 (self->message_id, message_id) == 0 && self->content != NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_free (self->message_id);
  self->message_id = g_strdup (message_id);
  self->allow_remote = FALSE;
  g_clear_pointer (&self->content, kontor_mail_content_unref);
  gtk_widget_set_visible (self->edit_draft_button,
                          kontor_mail_draft_is_stored (self->engine, message_id));
  gtk_stack_set_visible_child_name (self->stack, "loading");
  kontor_mail_engine_run_async (self->engine, content_job, g_strdup (message_id), g_free,
                                loaded_free, self->cancellable, content_loaded_cb,
                                g_object_ref (self));
}

void
kontor_mail_reader_clear (KontorMailReader *self, const char *title)
{
  g_return_if_fail (KONTOR_IS_MAIL_READER (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->content, kontor_mail_content_unref);
  adw_status_page_set_title (self->empty_page, title != NULL ? title : _ ("No Message Selected"));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

const char *
kontor_mail_reader_get_message_id (KontorMailReader *self)
{
  g_return_val_if_fail (KONTOR_IS_MAIL_READER (self), NULL);
  return self->content != NULL ? self->message_id : NULL;
}

void
kontor_mail_reader_set_engine (KontorMailReader *self, KontorMailEngine *engine)
{
  g_return_if_fail (KONTOR_IS_MAIL_READER (self));
  g_set_object (&self->engine, engine);
}

/* Actions ----------------------------------------------------------------------------- */

static void
show_remote_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  KontorMailReader *self = KONTOR_MAIL_READER (widget);

  if (self->content == NULL)
    return;
  self->allow_remote = TRUE;
  load_body (self);
}

static void
always_remote_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  KontorMailReader *self = KONTOR_MAIL_READER (widget);
  g_auto (GStrv) senders = g_settings_get_strv (self->settings, "mail-remote-content-senders");
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) updated = NULL;

  if (self->sender == NULL || self->content == NULL)
    return;
  g_strv_builder_addv (builder, (const char **) senders);
  if (!g_strv_contains ((const char *const *) senders, self->sender))
    g_strv_builder_add (builder, self->sender);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "mail-remote-content-senders",
                       (const char *const *) updated);
  load_body (self);
}

static KontorMailAttachment *
attachment_at (KontorMailReader *self, GVariant *parameter)
{
  guint index = g_variant_get_uint32 (parameter);

  if (self->content == NULL || index >= self->content->attachments->len)
    return NULL;
  return g_ptr_array_index (self->content->attachments, index);
}

static void
report (KontorMailReader *self, const GError *error)
{
  GtkWidget *toplevel = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  GtkWidget *dialog =
    adw_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                            _ ("Could Not Save the Attachment"), error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_attachment_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  KontorMailReader *self = KONTOR_MAIL_READER (widget);
  KontorMailAttachment *attachment = attachment_at (self, parameter);
  g_autofree char *dir = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *uri = NULL;

  if (attachment == NULL)
    return;
  /* Opened from a private copy, so the application opening it never sees the mail. */
  dir = g_build_filename (g_get_user_cache_dir (), "kontor", "attachments", NULL);
  g_mkdir_with_parents (dir, 0700);
  basename = g_path_get_basename (attachment->name);
  path = g_build_filename (dir, basename, NULL);
  file = g_file_new_for_path (path);
  if (!kontor_mail_attachment_save (attachment, file, NULL, &error))
    {
      report (self, error);
      return;
    }
  uri = g_file_get_uri (file);
  /* The shell hands it to the Kontor plugin for its type, else to the desktop. */
  if (!gtk_widget_activate_action (widget, "app.open-file", "s", uri))
    gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (widget)), uri, GDK_CURRENT_TIME);
}

typedef struct
{
  KontorMailReader *self;
  GPtrArray *attachments; /* KontorMailAttachment */
  gboolean folder;
} SaveRequest;

static void
save_response_cb (GtkNativeDialog *dialog, int response, SaveRequest *request)
{
  g_autoptr (GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (response == GTK_RESPONSE_ACCEPT && chosen != NULL)
    for (guint i = 0; i < request->attachments->len; i++)
      {
        KontorMailAttachment *attachment = g_ptr_array_index (request->attachments, i);
        g_autofree char *basename = g_path_get_basename (attachment->name);
        g_autoptr (GFile) target =
          request->folder ? g_file_get_child (chosen, basename) : g_object_ref (chosen);
        g_autoptr (GError) error = NULL;

        if (!kontor_mail_attachment_save (attachment, target, NULL, &error))
          {
            report (request->self, error);
            break;
          }
      }
  g_object_unref (request->self);
  g_ptr_array_unref (request->attachments);
  g_free (request);
  g_object_unref (dialog);
}

static void
choose_and_save (KontorMailReader *self, GPtrArray *attachments, gboolean folder)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  GtkFileChooserNative *dialog;
  SaveRequest *request = g_new0 (SaveRequest, 1);

  dialog = gtk_file_chooser_native_new (
    folder ? _ ("Save All Attachments") : _ ("Save Attachment"), window,
    folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER : GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"),
    _ ("_Cancel"));
  if (!folder)
    {
      g_autofree char *basename =
        g_path_get_basename (((KontorMailAttachment *) g_ptr_array_index (attachments, 0))->name);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), basename);
    }
  request->self = g_object_ref (self);
  request->attachments = attachments;
  request->folder = folder;
  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_attachment_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  KontorMailReader *self = KONTOR_MAIL_READER (widget);
  KontorMailAttachment *attachment = attachment_at (self, parameter);
  GPtrArray *attachments;

  if (attachment == NULL)
    return;
  attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_mail_attachment_unref);
  g_ptr_array_add (attachments, kontor_mail_attachment_ref (attachment));
  choose_and_save (self, attachments, FALSE);
}

static void
save_all_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  KontorMailReader *self = KONTOR_MAIL_READER (widget);
  GPtrArray *attachments;

  if (self->content == NULL || self->content->attachments->len == 0)
    return;
  attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_mail_attachment_unref);
  for (guint i = 0; i < self->content->attachments->len; i++)
    g_ptr_array_add (
      attachments, kontor_mail_attachment_ref (g_ptr_array_index (self->content->attachments, i)));
  choose_and_save (self, attachments, TRUE);
}

static void
link_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (dialog), "uri");

  if (g_strcmp0 (response, "open") == 0)
    gtk_show_uri (gtk_window_get_transient_for (GTK_WINDOW (dialog)), uri, GDK_CURRENT_TIME);
}

/* Links never open inside the reader: the real target is shown first, since the text of
 * a link in a mail can say anything. */
static void
link_activated_cb (KontorMailWebView *view, const char *uri, KontorMailReader *self)
{
  GtkWidget *toplevel = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  GtkWidget *dialog;

  if (g_str_has_prefix (uri, "mailto:") || g_str_has_prefix (uri, "mid:"))
    {
      gtk_show_uri (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL, uri, GDK_CURRENT_TIME);
      return;
    }
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                   _ ("Open Link?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), _ ("This link goes to:\n%s"), uri);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "open",
                                    _ ("_Open in Browser"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open",
                                              ADW_RESPONSE_SUGGESTED);
  g_object_set_data_full (G_OBJECT (dialog), "uri", g_strdup (uri), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (link_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Life cycle ------------------------------------------------------------------------ */

static void
kontor_mail_reader_dispose (GObject *object)
{
  KontorMailReader *self = KONTOR_MAIL_READER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_MAIL_READER);
  g_clear_pointer (&self->content, kontor_mail_content_unref);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kontor_mail_reader_parent_class)->dispose (object);
}

static void
kontor_mail_reader_finalize (GObject *object)
{
  KontorMailReader *self = KONTOR_MAIL_READER (object);

  g_clear_object (&self->cancellable);
  g_free (self->message_id);
  g_free (self->sender);

  G_OBJECT_CLASS (kontor_mail_reader_parent_class)->finalize (object);
}

static void
kontor_mail_reader_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_SHOW_SOURCE:
        g_value_set_boolean (value, KONTOR_MAIL_READER (object)->show_source);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_mail_reader_set_property (GObject *object,
                                 guint prop_id,
                                 const GValue *value,
                                 GParamSpec *pspec)
{
  KontorMailReader *self = KONTOR_MAIL_READER (object);

  switch (prop_id)
    {
      case PROP_SHOW_SOURCE:
        self->show_source = g_value_get_boolean (value);
        gtk_stack_set_visible_child_name (self->body_stack, self->show_source ? "source" : "web");
        g_object_notify_by_pspec (object, pspec);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_mail_reader_class_init (KontorMailReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_mail_reader_dispose;
  object_class->finalize = kontor_mail_reader_finalize;
  object_class->get_property = kontor_mail_reader_get_property;
  object_class->set_property = kontor_mail_reader_set_property;

  properties[PROP_SHOW_SOURCE] =
    g_param_spec_boolean ("show-source", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KONTOR_TYPE_MAIL_WEB_VIEW);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/kontor/Kontor/mail/kontor-mail-reader.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, stack);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, error_page);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, subject_label);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, from_label);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, to_label);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, date_label);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, notice_label);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, remote_revealer);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, edit_draft_button);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, always_button);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, attachments_revealer);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, attachments_box);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, body_stack);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, web_view);
  gtk_widget_class_bind_template_child (widget_class, KontorMailReader, source_view);
  gtk_widget_class_bind_template_callback (widget_class, link_activated_cb);

  gtk_widget_class_install_action (widget_class, "reader.show-remote", NULL, show_remote_action);
  gtk_widget_class_install_action (widget_class, "reader.always-remote", NULL,
                                   always_remote_action);
  gtk_widget_class_install_action (widget_class, "reader.open-attachment", "u",
                                   open_attachment_action);
  gtk_widget_class_install_action (widget_class, "reader.save-attachment", "u",
                                   save_attachment_action);
  gtk_widget_class_install_action (widget_class, "reader.save-all", NULL, save_all_action);
  gtk_widget_class_install_property_action (widget_class, "reader.view-source", "show-source");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK,
                                       "reader.view-source", NULL);
}

static void
kontor_mail_reader_init (KontorMailReader *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APPLICATION_ID);
  self->cancellable = g_cancellable_new ();
}
