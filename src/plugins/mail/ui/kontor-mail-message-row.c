/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kontor-mail-message-row.c: one row of the message list: sender and date, then subject
 * and marks. A list view of a big folder makes and binds rows all the time while
 * scrolling, so the row is built in code (no template to parse per row) and binding
 * sets its labels directly instead of through expressions; it follows its message's
 * flag changes while bound. */
#define G_LOG_DOMAIN "kontor-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kontor-mail-message-row.h"

struct _KontorMailMessageRow
{
  GtkWidget parent_instance;

  /* Children */
  GtkWidget *unread_icon;
  GtkWidget *sender;
  GtkWidget *date;
  GtkWidget *subject;
  GtkWidget *thread_count;
  GtkWidget *attachment_icon;
  GtkWidget *answered_icon;
  GtkWidget *flagged_icon;

  /* Borrowed, with a signal handler while bound */
  KontorMailMessage *message;
  gulong notify_id;
  gboolean bold; /* the sender is shown in bold: the message is unread */
};

G_DEFINE_FINAL_TYPE (KontorMailMessageRow, kontor_mail_message_row, GTK_TYPE_WIDGET)

/* "Today", "this week" and "this year" change rarely: work them out (and the local time
 * zone) once a minute rather than once per row. Rows are made on the main thread only. */
typedef struct
{
  gint64 computed_at;
  gint64 today_start;
  gint64 tomorrow_start;
  gint64 week_start;
  gint64 year_start;
  gint64 next_year_start;
  GTimeZone *zone;
} DateBounds;

static const DateBounds *
date_bounds (void)
{
  static DateBounds bounds;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (bounds.zone == NULL || now - bounds.computed_at >= 60 || now < bounds.computed_at)
    {
      g_autoptr (GDateTime) local = NULL;
      g_autoptr (GDateTime) today = NULL;
      g_autoptr (GDateTime) year = NULL;
      int y;

      g_clear_pointer (&bounds.zone, g_time_zone_unref);
      bounds.zone = g_time_zone_new_local ();
      local = g_date_time_new_now (bounds.zone);
      y = g_date_time_get_year (local);
      today = g_date_time_new (bounds.zone, y, g_date_time_get_month (local),
                               g_date_time_get_day_of_month (local), 0, 0, 0);
      year = g_date_time_new (bounds.zone, y, 1, 1, 0, 0, 0);
      bounds.computed_at = now;
      bounds.today_start = g_date_time_to_unix (today);
      bounds.week_start = bounds.today_start - 6 * 24 * 3600;
      bounds.year_start = g_date_time_to_unix (year);
      {
        g_autoptr (GDateTime) tomorrow = g_date_time_add_days (today, 1);
        g_autoptr (GDateTime) next_year = g_date_time_add_years (year, 1);

        bounds.tomorrow_start = g_date_time_to_unix (tomorrow);
        bounds.next_year_start = g_date_time_to_unix (next_year);
      }
    }
  return &bounds;
}

/* Today's messages show the time, the last week's the weekday and time, this year's the
 * day and month, the others the full date. */
static char *
format_date (gint64 date)
{
  const DateBounds *bounds = date_bounds ();
  g_autoptr (GDateTime) utc = date > 0 ? g_date_time_new_from_unix_utc (date) : NULL;
  g_autoptr (GDateTime) when = utc != NULL ? g_date_time_to_timezone (utc, bounds->zone) : NULL;

  if (when == NULL)
    return g_strdup ("");
  if (date >= bounds->today_start && date < bounds->tomorrow_start)
    return g_date_time_format (when, "%R");
  if (date >= bounds->week_start && date < bounds->today_start)
    return g_date_time_format (when, "%a %R");
  if (date >= bounds->year_start && date < bounds->next_year_start)
    /* Translators: a date in this year in the message list, see strftime(3) */
    return g_date_time_format (when, _ ("%e %b"));
  return g_date_time_format (when, "%x");
}

static PangoAttrList *
bold_attributes (void)
{
  static PangoAttrList *attributes;

  if (attributes == NULL)
    {
      attributes = pango_attr_list_new ();
      pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    }
  return attributes;
}

static void
update_marks (KontorMailMessageRow *self)
{
  KontorMailMessage *message = self->message;
  guint count = message != NULL ? kontor_mail_message_get_thread_count (message) : 1;
  gboolean unread = message != NULL && kontor_mail_message_get_unread (message);

  gtk_widget_set_visible (self->unread_icon, unread);
  /* Bold by weight alone: the same size as a read row, so every row has one height and
   * the list view's estimate of the rows it has not laid out stays put while scrolling;
   * and no style class changes, so binding a row does not restyle it. */
  if (unread != self->bold)
    {
      gtk_label_set_attributes (GTK_LABEL (self->sender), unread ? bold_attributes () : NULL);
      self->bold = unread;
    }
  gtk_widget_set_visible (self->flagged_icon,
                          message != NULL && kontor_mail_message_get_flagged (message));
  gtk_widget_set_visible (self->attachment_icon,
                          message != NULL && kontor_mail_message_get_has_attachments (message));
  gtk_widget_set_visible (
    self->answered_icon,
    message != NULL && (kontor_mail_message_get_flags (message) & CAMEL_MESSAGE_ANSWERED) != 0);
  gtk_widget_set_visible (self->thread_count, count > 1);
  if (count > 1)
    {
      char text[16];

      g_snprintf (text, sizeof text, "%u", count);
      gtk_label_set_label (GTK_LABEL (self->thread_count), text);
    }
}

static void
message_notify_cb (KontorMailMessage *message, GParamSpec *pspec, KontorMailMessageRow *self)
{
  update_marks (self);
}

void
kontor_mail_message_row_set_message (KontorMailMessageRow *self, KontorMailMessage *message)
{
  g_return_if_fail (KONTOR_IS_MAIL_MESSAGE_ROW (self));

  if (self->message == message)
    return;
  if (self->message != NULL)
    g_clear_signal_handler (&self->notify_id, self->message);
  self->message = message;
  if (message != NULL)
    {
      g_autofree char *date = format_date (kontor_mail_message_get_date (message));

      self->notify_id = g_signal_connect (message, "notify", G_CALLBACK (message_notify_cb), self);
      gtk_label_set_label (GTK_LABEL (self->sender), kontor_mail_message_get_sender (message));
      gtk_label_set_label (GTK_LABEL (self->subject), kontor_mail_message_get_subject (message));
      gtk_label_set_label (GTK_LABEL (self->date), date);
    }
  update_marks (self);
}

static void
kontor_mail_message_row_dispose (GObject *object)
{
  KontorMailMessageRow *self = KONTOR_MAIL_MESSAGE_ROW (object);
  GtkWidget *child;

  kontor_mail_message_row_set_message (self, NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (kontor_mail_message_row_parent_class)->dispose (object);
}

static void
kontor_mail_message_row_class_init (KontorMailMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_mail_message_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kontor-mail-message-row");
}

static GtkWidget *
mark_new (const char *icon_name, const char *label, const char *css_class)
{
  GtkWidget *image = gtk_image_new_from_icon_name (icon_name);

  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (css_class != NULL)
    gtk_widget_add_css_class (image, css_class);
  gtk_widget_set_visible (image, FALSE);
  return image;
}

static GtkWidget *
text_new (gboolean expand)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (expand)
    {
      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  return label;
}

static void
kontor_mail_message_row_init (KontorMailMessageRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (widget);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 3);
  gtk_widget_set_margin_top (widget, 8);
  gtk_widget_set_margin_bottom (widget, 8);
  gtk_widget_set_margin_start (widget, 12);
  gtk_widget_set_margin_end (widget, 12);

  self->unread_icon = mark_new ("mail-unread-symbolic", _ ("Unread"), "accent");
  self->sender = text_new (TRUE);
  self->date = text_new (FALSE);
  gtk_widget_add_css_class (self->date, "dim-label");
  gtk_widget_add_css_class (self->date, "caption");
  gtk_widget_add_css_class (self->date, "numeric");
  gtk_box_append (GTK_BOX (top), self->unread_icon);
  gtk_box_append (GTK_BOX (top), self->sender);
  gtk_box_append (GTK_BOX (top), self->date);

  self->subject = text_new (TRUE);
  self->thread_count = text_new (FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->thread_count),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Messages in this conversation"), -1);
  gtk_widget_add_css_class (self->thread_count, "dim-label");
  gtk_widget_add_css_class (self->thread_count, "caption-heading");
  gtk_widget_add_css_class (self->thread_count, "numeric");
  gtk_widget_set_visible (self->thread_count, FALSE);
  self->attachment_icon = mark_new ("mail-attachment-symbolic", _ ("Has attachments"), NULL);
  self->answered_icon = mark_new ("mail-replied-symbolic", _ ("Replied"), NULL);
  self->flagged_icon = mark_new ("starred-symbolic", _ ("Flagged"), "warning");
  gtk_box_append (GTK_BOX (bottom), self->subject);
  gtk_box_append (GTK_BOX (bottom), self->thread_count);
  gtk_box_append (GTK_BOX (bottom), self->attachment_icon);
  gtk_box_append (GTK_BOX (bottom), self->answered_icon);
  gtk_box_append (GTK_BOX (bottom), self->flagged_icon);

  gtk_widget_set_parent (top, widget);
  gtk_widget_set_parent (bottom, widget);
}

GtkWidget *
kontor_mail_message_row_new (void)
{
  return g_object_new (KONTOR_TYPE_MAIL_MESSAGE_ROW, NULL);
}
