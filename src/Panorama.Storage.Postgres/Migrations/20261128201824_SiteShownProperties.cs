using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Panorama.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SiteShownProperties : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ShownProperties",
                table: "Sites",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ShownProperties",
                table: "Sites");
        }
    }
}
